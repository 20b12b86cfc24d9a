const staff = require('../../services/staff')
const complaints = require('../../services/complaints')
const fmt = require('../../utils/format')
const { page, messageOf } = require('../../utils/page')

const next = { submitted: ['accepted', 'rejected'], accepted: ['processing', 'resolved', 'rejected'], processing: ['resolved', 'rejected'],
  resolved: ['closed'], rejected: ['closed'], returned: ['closed'] }

// One complaint of the staff member's area: what happened, the photos, the progress so far; moved on with a note
// the worker reads; shared with a colleague (the card opens here, for staff of the same area only).
page({
  data: { id: '', complaint: null, kindText: '', statusText: '', secText: '', moves: [], photos: [], note: '', error: '', busy: false },

  onLoad(query) {
    this.setData({ id: query.id })
    return this.load()
  },

  onPullDownRefresh() {
    return this.load().finally(() => wx.stopPullDownRefresh())
  },

  async load() {
    try {
      const c = await staff.complaint(this.data.id)
      this.setData({ complaint: c, kindText: fmt.complaintKinds[c.category] || '', statusText: fmt.complaintWords[c.status] || '',
        secText: fmt.secCheckWords[c.sec_check] || '',
        moves: (next[c.status] || []).map((to) => ({ to, label: fmt.complaintWords[to] })), error: '' })
      // A complaint's photos never change: fetched once, not again after each move or refresh.
      if (!this.data.photos.length) this.setData({ photos: await Promise.all((c.photos || []).map((id) => complaints.photo(id).catch(() => ''))) })
    } catch (err) {
      this.setData({ error: messageOf(err) })
    }
  },

  onNote(e) { this.setData({ note: e.detail.value }) },

  preview(e) {
    wx.previewImage({ current: e.currentTarget.dataset.src, urls: this.data.photos.filter(Boolean) })
  },

  async move(e) {
    if (this.data.busy) return
    this.setData({ busy: true, error: '' })
    try {
      await staff.moveComplaint(this.data.id, e.currentTarget.dataset.to, this.data.note)
      this.setData({ note: '' })
      await this.load()
    } catch (err) {
      this.setData({ error: messageOf(err) })
    } finally {
      this.setData({ busy: false })
    }
  },

  onShareAppMessage() {
    const c = this.data.complaint
    return { title: '请看这件投诉：' + this.data.kindText + '，' + this.data.statusText, path: '/pages/staff/complaint?id=' + (c ? c.id : this.data.id) }
  },
})
