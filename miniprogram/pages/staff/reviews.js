const staff = require('../../services/staff')
const fmt = require('../../utils/format')
const { page, messageOf, fieldErrors } = require('../../utils/page')
const { loader } = require('../../utils/list')

// Review queue of the staff member's area: gigs (with flagged phrases highlighted) or employers.
page({
  data: { kind: 'gig', items: [], loading: true, loaded: false, reasons: {}, reasonErrors: {}, identities: {}, error: '' },

  onPullDownRefresh() {
    return this.load().finally(() => wx.stopPullDownRefresh())
  },

  onLoad(query) {
    this.run = loader(this)
    this.setData({ kind: (query && query.kind) || 'gig' })
    return this.load()
  },

  load() {
    return this.run(() => staff.reviews(this.data.kind), (q) => {
      const items = this.data.kind === 'gig'
        ? (q.gigs || []).map((g) => ({ ...g, wageText: fmt.wage(g.wage_cents, g.wage_unit), parts: fmt.highlight(g.description, g.checks.discrimination),
          secText: fmt.secCheckWords[g.checks.sec_check] || '' }))
        : q.employers || []
      this.setData({ items })
    })
  },

  // showIdentity reads the full identity on an explicit tap; the server writes each read into the audit log.
  async showIdentity(e) {
    const id = e.currentTarget.dataset.id
    try {
      this.setData({ ['identities.' + id]: await staff.employerIdentity(id) })
    } catch (err) {
      this.setData({ error: messageOf(err) })
    }
  },

  onReason(e) {
    this.setData({ ['reasons.' + e.currentTarget.dataset.id]: e.detail.value })
  },

  async decide(e) {
    const { id, approve } = e.currentTarget.dataset
    const reason = this.data.reasons[id] || ''
    const gig = this.data.kind === 'gig'
    const item = this.data.items.find((x) => x.id === id)
    // Approving over a flagged phrase carries the reviewer's reason why it is not discrimination.
    const override = approve && gig && item.checks.discrimination.length ? reason : ''
    this.setData({ ['reasonErrors.' + id]: '' })
    try {
      if (approve) await (gig ? staff.approveGig(id, override) : staff.approveEmployer(id))
      else await (gig ? staff.rejectGig(id, reason) : staff.rejectEmployer(id, reason))
      await this.load()
    } catch (err) {
      const field = fieldErrors(err)
      if (field.override_reason || field.reason) return this.setData({ ['reasonErrors.' + id]: field.override_reason || field.reason })
      this.setData({ error: messageOf(err) })
    }
  },
})
