const complaints = require('../../services/complaints')
const fmt = require('../../utils/format')
const speech = require('../../utils/speech')
const { page, fieldErrors, messageOf } = require('../../utils/page')

// A complaint's progress, step by step; 内容检测中 while WeChat's check has not answered, and when the check
// returned it, why and a box to reword it in; once resolved, how satisfied the worker is (once).
page({
  data: { id: '', complaint: null, statusText: '', kindText: '', stars: [1, 2, 3, 4, 5], photos: [], noNotice: false, error: '',
    checkingWords: fmt.checkingWords, draft: '', errors: {}, busy: false },

  onLoad(query) {
    this.setData({ id: query.id, noNotice: query.quiet === '1' })
    return this.load()
  },

  onPullDownRefresh() {
    return this.load().finally(() => wx.stopPullDownRefresh())
  },

  async load() {
    try {
      const c = await complaints.detail(this.data.id)
      this.show(c)
      // A complaint's photos never change: fetched once, not again after each move or refresh.
      if (!this.data.photos.length) this.setData({ photos: await Promise.all((c.photos || []).map((id) => complaints.photo(id).catch(() => ''))) })
    } catch (err) {
      this.setData({ error: messageOf(err) })
    }
  },

  // show puts a complaint on the page; the text to reword starts as what was sent, and is kept while being edited.
  show(c) {
    const rewording = c.status === 'returned' && this.data.complaint && this.data.complaint.status === 'returned'
    this.setData({ complaint: c, statusText: fmt.complaintWords[c.status], kindText: fmt.complaintKinds[c.category] || '', error: '',
      draft: rewording ? this.data.draft : c.description })
  },

  onDraft(e) { this.setData({ draft: e.detail.value }) },

  async revise() {
    if (this.data.busy) return
    this.setData({ busy: true, errors: {}, error: '' })
    try {
      this.show(await complaints.revise(this.data.id, this.data.draft))
    } catch (err) {
      this.setData({ errors: fieldErrors(err), error: messageOf(err) })
    } finally {
      this.setData({ busy: false })
    }
  },

  preview(e) {
    wx.previewImage({ current: e.currentTarget.dataset.src, urls: this.data.photos.filter(Boolean) })
  },

  readAloud() {
    speech.speak(fmt.speakComplaint(this.data.complaint)).catch((err) => this.setData({ error: messageOf(err) }))
  },

  async rate(e) {
    try {
      const c = await complaints.rate(this.data.id, Number(e.currentTarget.dataset.score), '')
      this.setData({ complaint: c })
    } catch (err) {
      this.setData({ error: messageOf(err) })
    }
  },
})
