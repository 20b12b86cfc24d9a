const staff = require('../../services/staff')
const fmt = require('../../utils/format')
const { careMode, messageOf } = require('../../utils/page')

const next = { submitted: ['accepted', 'rejected'], accepted: ['processing', 'resolved', 'rejected'], processing: ['resolved', 'rejected'],
  resolved: ['closed'], rejected: ['closed'] }

// Complaints of the staff member's area, overdue ones marked; each moved on with a note the worker reads.
Page({
  data: { items: [], notes: {}, error: '', care: false },

  onLoad() {
    this.setData({ care: careMode() })
    return this.load()
  },

  async load() {
    try {
      const list = await staff.complaints()
      this.setData({ items: list.map((c) => ({ ...c, statusText: fmt.complaintWords[c.status],
        moves: (next[c.status] || []).map((to) => ({ to, label: fmt.complaintWords[to] })) })), error: '' })
    } catch (err) {
      this.setData({ error: messageOf(err) })
    }
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
