const staff = require('../../services/staff')
const { page, fieldErrors, messageOf, confirm } = require('../../utils/page')

const segments = [
  { k: 'gig_confirmed', t: '某个活已录用的人', need: 'gig_id', ask: '活的编号' },
  { k: 'training_session', t: '某次培训报名的人', need: 'session_id', ask: '上课时间的编号' },
  { k: 'open_complaints', t: '投诉还在办理的人', need: '', ask: '' },
  { k: 'near_market', t: '住在某个零工市场附近的人', need: 'market_id', ask: '零工市场的编号' },
]
// Each message's fields, named as the worker will read them in WeChat.
// Hints show the form WeChat takes for dates, times and short results.
const f = (key, name, hint = '') => ({ key, name, hint })
const DATE = '如 2026-12-01'
const TIME = '如 2026-12-01 08:30'
const kinds = [
  { k: 'application_result', t: '报名结果', fields: [f('gig', '哪个活'), f('result', '结果', '5个字以内，如 已录用'), f('date', '哪天干', DATE), f('note', '要说的话')] },
  { k: 'gig_cancelled', t: '活取消了', fields: [f('gig', '哪个活'), f('date', '原定哪天', DATE), f('note', '要说的话')] },
  { k: 'training_reminder', t: '培训提醒', fields: [f('course', '哪门课'), f('time', '上课时间', TIME), f('place', '上课地点')] },
  { k: 'complaint_progress', t: '投诉进度', fields: [f('case', '哪件投诉'), f('status', '办到哪一步', '5个字以内，如 办理中'), f('note', '要说的话'), f('time', '时间', TIME)] },
]

// Push a subscribe message to a segment of the staff member's area, then watch its report.
page({
  data: { segments, kinds, segment: 'gig_confirmed', kind: 'gig_cancelled', target: '', fields: {}, report: null,
    errors: {}, error: '', busy: false },


  pickSegment(e) { this.setData({ segment: e.currentTarget.dataset.k }) },
  pickKind(e) { this.setData({ kind: e.currentTarget.dataset.k, fields: {} }) },
  onTarget(e) { this.setData({ target: e.detail.value }) },
  onField(e) { this.setData({ ['fields.' + e.currentTarget.dataset.f]: e.detail.value }) },

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
