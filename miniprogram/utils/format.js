// How numbers, places and states read for the user, in one place.

const units = { day: '天', hour: '小时', piece: '件' }

function yuan(cents) {
  const v = cents / 100
  return Number.isInteger(v) ? String(v) : v.toFixed(2)
}

// wage(25000, 'day') → "250元/天"
function wage(cents, unit) {
  return yuan(cents) + '元/' + (units[unit] || unit)
}

// owed({wage_unit: 'hour', days: 2, minutes: 510, open_days: 1, cents: 21259}) → "应付212.59元（签到2天，共8.5小时；1天还没扫离开，没算进去）":
// what the check-ins say is due, the same words for the worker and the employer; '' before anyone is taken on.
function owed(o) {
  if (!o) return ''
  const notes = ['签到' + o.days + '天']
  if (o.wage_unit === 'hour') notes[0] += '，共' + (o.minutes / 60) + '小时'
  if (o.open_days) notes.push(o.open_days + '天还没扫离开，没算进去')
  if (o.cents === null || o.cents === undefined) return '按件算钱，' + notes.join('；')
  return '应付' + yuan(o.cents) + '元（' + notes.join('；') + '）'
}

// distance(850) → "850米", distance(3200) → "3.2公里"
function distance(m) {
  if (m == null) return ''
  return m < 1000 ? m + '米' : (m / 1000).toFixed(1) + '公里'
}

// workDate('2026-12-01', '2026-12-01', today) → "今天" / "明天" / "12月1日" / "12月1日至12月3日"
function workDate(start, end, today) {
  const label = (d) => {
    if (d === today) return '今天'
    const t = new Date(today + 'T00:00:00Z')
    t.setUTCDate(t.getUTCDate() + 1)
    if (d === t.toISOString().slice(0, 10)) return '明天'
    const [, m, day] = d.split('-')
    return Number(m) + '月' + Number(day) + '日'
  }
  return start === end ? label(start) : label(start) + '至' + label(end)
}

// day('2026-12-01') → "12月1日"
function day(d) {
  const [, m, dd] = (d || '').split('-')
  return m ? Number(m) + '月' + Number(dd) + '日' : ''
}

// dateTime('2026-12-01T10:30:00+08:00') → "12月1日 10:30", in 北京时间 whatever the phone's zone.
function dateTime(iso) {
  const t = new Date(iso)
  if (isNaN(t)) return ''
  const b = new Date(t.getTime() + 8 * 3600 * 1000).toISOString()
  return day(b.slice(0, 10)) + ' ' + b.slice(11, 16)
}

const planTerms = { day: '1天', month: '1个月', year: '1年' }
const payers = { government: '政府出钱，自己不用付', employer: '雇主付', self: '自己付' }

// planPrice says who pays how much for an insurance plan.
function planPrice(p) {
  if (p.payer === 'government' || !p.premium_cents) return '保费' + (p.premium_cents ? yuan(p.premium_cents) + '元，' : '') + payers.government
  return '保费' + yuan(p.premium_cents) + '元，' + (payers[p.payer] || '')
}

const policyWords = { pending: '等工作人员确认', active: '保障中', expired: '已到期', cancelled: '已取消' }

const applicationWords = {
  pending: '等雇主回复', confirmed: '已录用', rejected: '未录用', withdrawn: '已取消', cancelled: '雇主撤下了',
  completed: '已完工', paid: '已收到工钱', disputed: '工钱有问题',
}
// What the gig page says of the user's own application, in every state.
const myApplicationWords = {
  pending: '已报名，等雇主回复', confirmed: '您已被录用，请按时到岗', rejected: '这次没有被录用，看看别的活吧', withdrawn: '您取消了报名',
  cancelled: '雇主撤下了这个活', completed: '活干完了，请到“我的报名”确认工钱', paid: '工钱已收到', disputed: '工钱的事已转给工作人员，他们会联系您',
}
// What the gig page says of a gig nobody can apply to any more.
const closedGigWords = { filled: '这个活已经招满了', closed: '这个活已经撤下了', expired: '这个活已经结束了',
  paused: '这个活暂停了，恢复后会通知您' }

// What WeChat's content check said of a gig or a complaint, for staff: anything not passed reads as 未检测 or as
// WeChat's warning.
const secCheckWords = { checking: '未检测（微信还在检测），请仔细看', unchecked: '未检测（微信没能检测），请仔细看',
  review: '微信提示要人工看一看', risky: '微信提示有不允许的内容' }

// What the writer of a gig or a complaint is told while WeChat's check has not answered.
const checkingWords = '内容检测中，稍等一会儿，往下拉可以刷新'


const complaintWords = {
  submitted: '已提交', returned: '退回修改', accepted: '已受理', processing: '办理中', resolved: '已解决', rejected: '不予受理', closed: '已结束',
}
const reviewWords = { pending: '审核中', verified: '已通过', rejected: '未通过', suspended: '已暂停', pending_review: '审核中', published: '招工中', filled: '已招满', closed: '已撤下', expired: '已结束', paused: '暂停中' }

// speakGig is what "读给我听" reads: what, where, when, how much.
function speakGig(gig, today) {
  return [gig.title, '在' + gig.address, workDate(gig.start_date, gig.end_date, today) + (gig.work_hours ? '，' + gig.work_hours : ''),
    '工钱' + wage(gig.wage_cents, gig.wage_unit) + (gig.settlement === 'daily' ? '，日结' : '，完工结')].join('。') + '。'
}

// speakApplication is what "读给我听" reads on an application's result.
function speakApplication(a, today) {
  const g = a.gig
  const result = { confirmed: '您被录用了', rejected: '这次没有被录用', pending: '还在等雇主回复', cancelled: '雇主撤下了这个活',
    completed: '活干完了', paid: '工钱已经收到', disputed: '工钱有问题，已经转给工作人员', withdrawn: '您取消了报名' }[a.status] || ''
  return [result, g.title, '在' + g.address, workDate(g.start_date, g.end_date, today) + (g.work_hours ? '，' + g.work_hours : ''),
    '工钱' + wage(g.wage_cents, g.wage_unit)].join('。') + '。'
}

// speakGigs is what "读给我听" reads on the home list: the nearest few, one sentence each.
function speakGigs(gigs, today) {
  if (!gigs.length) return '附近暂时没有活。'
  return '附近有' + gigs.length + '个活。' + gigs.slice(0, 3).map((g, i) => '第' + (i + 1) + '个，' + g.title + '，' +
    distance(g.distance_m) + '，' + workDate(g.start_date, g.end_date, today) + '，工钱' + wage(g.wage_cents, g.wage_unit) + '。').join('')
}

const complaintKinds = { wage_arrears: '欠工钱', discrimination: '就业歧视', false_posting: '招工是假的', fees: '乱收费、押金', safety: '安全问题', other: '其他' }

// speakComplaint is what "读给我听" reads on a complaint: where it stands and the latest word from staff.
function speakComplaint(c) {
  const last = (c.timeline || []).filter((e) => e.note).pop()
  return '您的投诉，' + (complaintKinds[c.category] || '') + '，现在' + (complaintWords[c.status] || '') + '。' +
    (c.reject_reason ? '原因是：' + c.reject_reason + '。' : '') + (last ? '工作人员说：' + last.note + '。' : '')
}

// highlight splits a text into parts, marking the flagged phrases so that a reviewer sees them at once.
function highlight(text, flags) {
  let parts = [{ text: text || '', flagged: false }]
  for (const f of flags || []) {
    parts = parts.flatMap((p) => {
      if (p.flagged) return [p]
      return p.text.split(f.phrase).flatMap((piece, i) =>
        i === 0 ? [{ text: piece, flagged: false }] : [{ text: f.phrase, flagged: true }, { text: piece, flagged: false }])
    })
  }
  return parts.filter((p) => p.text)
}

// workerRecord({days_worked: 12, no_shows: 1, rating: 4.5, rating_count: 3}) → "干过12天 · 最近90天没到1次 · 评分4.5":
// a worker's record as the employer reads it among the applicants.
function workerRecord(r) {
  if (!r) return ''
  const parts = [r.days_worked ? '干过' + r.days_worked + '天' : '还没有签到干过活']
  parts.push(r.no_shows ? '最近90天没到' + r.no_shows + '次' : '最近90天没有失约')
  if (r.rating_count) parts.push('评分' + r.rating.toFixed(1))
  return parts.join(' · ')
}

// employerRecord(...) → "完工8个活 · 按时付钱9/10人次 · 属实投诉0件 · 当天取消1次": an employer's record on the gig page.
function employerRecord(r) {
  if (!r) return ''
  const parts = ['完工' + r.gigs_completed + '个活']
  if (r.paid_due) parts.push('按时付钱' + r.paid_on_time + '/' + r.paid_due + '人次')
  parts.push('属实投诉' + r.upheld_complaints + '件', '当天取消' + r.late_cancels + '次')
  return parts.join(' · ')
}

const correctionWords = { open: '已申请更正，等工作人员处理', accepted: '工作人员已更正，这条不算了', refused: '工作人员没同意更正' }

// correction(c) says where a correction request stands, with staff's answer when there is one.
function correction(c) {
  if (!c) return ''
  return correctionWords[c.status] + (c.note ? '：' + c.note : '')
}

module.exports = { workerRecord, employerRecord, correction, secCheckWords, checkingWords, myApplicationWords, closedGigWords, yuan, wage, owed, distance, workDate, day, dateTime, planTerms, planPrice, policyWords, applicationWords, complaintWords, complaintKinds, reviewWords, speakGig, speakGigs,
  speakApplication, speakComplaint, highlight }
