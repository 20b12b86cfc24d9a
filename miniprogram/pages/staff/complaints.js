const staff = require('../../services/staff')
const fmt = require('../../utils/format')
const { page, messageOf } = require('../../utils/page')
const { loader } = require('../../utils/list')

const next = { submitted: ['accepted', 'rejected'], accepted: ['processing', 'resolved', 'rejected'], processing: ['resolved', 'rejected'],
  resolved: ['closed'], rejected: ['closed'] }

// Complaints of the staff member's area, overdue ones marked; each moved on with a note the worker reads.
page({
  data: { items: [], loading: true, loaded: false, notes: {}, error: '' },

  onPullDownRefresh() {
    return this.load().finally(() => wx.stopPullDownRefresh())
  },

  onLoad() {
    this.run = loader(this)
    return this.load()
  },

  load() {
    return this.run(() => staff.complaints(), (list) => {
      this.setData({ items: list.map((c) => ({ ...c, statusText: fmt.complaintWords[c.status],
        moves: (next[c.status] || []).map((to) => ({ to, label: fmt.complaintWords[to] })), kindText: fmt.complaintKinds[c.category] || '' })) })
    })
  },

  onNote(e) {
    this.setData({ ['notes.' + e.currentTarget.dataset.id]: e.detail.value })
  },

  async move(e) {
    const { id, to } = e.currentTarget.dataset
    try {
      await staff.moveComplaint(id, to, this.data.notes[id] || '')
      await this.load()
    } catch (err) {
      this.setData({ error: messageOf(err) })
    }
  },
})
