const complaints = require('../../services/complaints')
const fmt = require('../../utils/format')
const speech = require('../../utils/speech')
const { page, messageOf } = require('../../utils/page')

// A complaint's progress, step by step; once resolved, how satisfied the worker is (once).
page({
  data: { id: '', complaint: null, statusText: '', kindText: '', stars: [1, 2, 3, 4, 5], photos: [], noNotice: false, error: '' },

  onLoad(query) {
    this.setData({ id: query.id, noNotice: query.quiet === '1' })
    return this.load()
  },

  async load() {
    try {
      const c = await complaints.detail(this.data.id)
      this.setData({ complaint: c, statusText: fmt.complaintWords[c.status], kindText: fmt.complaintKinds[c.category] || '', error: '' })
      // A complaint's photos never change: fetched once, not again after each move or refresh.
      if (!this.data.photos.length) this.setData({ photos: await Promise.all((c.photos || []).map((id) => complaints.photo(id).catch(() => ''))) })
    } catch (err) {
      this.setData({ error: messageOf(err) })
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
