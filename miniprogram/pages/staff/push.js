const staff = require('../../services/staff')
const { careMode, fieldErrors, messageOf, confirm } = require('../../utils/page')

const segments = [
  { k: 'gig_confirmed', t: '某个活已录用的人', need: 'gig_id', ask: '活的编号' },
  { k: 'training_session', t: '某次培训报名的人', need: 'session_id', ask: '上课时间的编号' },
  { k: 'open_complaints', t: '投诉还在办理的人', need: '', ask: '' },
  { k: 'near_market', t: '住在某个零工市场附近的人', need: 'market_id', ask: '零工市场的编号' },
]
const kinds = [
  { k: 'application_result', t: '报名结果', fields: ['gig', 'result', 'date', 'note'] },
  { k: 'gig_cancelled', t: '活取消了', fields: ['gig', 'date', 'note'] },
  { k: 'training_reminder', t: '培训提醒', fields: ['course', 'time', 'place'] },
  { k: 'complaint_progress', t: '投诉进度', fields: ['case', 'status', 'note', 'time'] },
]

// Push a subscribe message to a segment of the staff member's area, then watch its report.
Page({
  data: { care: false, segments, kinds, segment: 'gig_confirmed', kind: 'gig_cancelled', target: '', fields: {}, report: null,
    errors: {}, error: '', busy: false },

  onLoad() {
    this.setData({ care: careMode() })
  },

  pickSegment(e) { this.setData({ segment: e.currentTarget.dataset.k }) },
  pickKind(e) { this.setData({ kind: e.currentTarget.dataset.k, fields: {} }) },
  onTarget(e) { this.setData({ target: e.detail.value }) },
  onField(e) { this.setData({ ['fields.' + e.currentTarget.dataset.f]: e.detail.value }) },

  fieldsOf() {
    return this.data.kinds.find((k) => k.k === this.data.kind).fields
  },

  async send() {
    const seg = this.data.segments.find((s) => s.k === this.data.segment)
    const kind = this.data.kinds.find((k) => k.k === this.data.kind)
    if (!(await confirm('发送“' + kind.t + '”？', '发给' + seg.t + '中订阅了消息的人。发出去就收不回了。', '发送'))) return
    const audience = { segment: seg.k }
    if (seg.need) audience[seg.need] = Number(this.data.target)
    this.setData({ busy: true, errors: {}, error: '' })
    try {
      const p = await staff.push({ template_id: this.data.kind, data: this.data.fields, page: 'pages/index/index', audience })
      this.setData({ report: p })
    } catch (err) {
      this.setData({ errors: fieldErrors(err), error: messageOf(err) })
    } finally {
      this.setData({ busy: false })
    }
  },

  async refresh() {
    try {
      this.setData({ report: await staff.pushReport(this.data.report.id) })
    } catch (err) {
      this.setData({ error: messageOf(err) })
    }
  },
})
