const staff = require('../../services/staff')
const fmt = require('../../utils/format')
const { page, messageOf, fieldErrors } = require('../../utils/page')
const { loader } = require('../../utils/list')

// Requests to correct a record of the staff member's area, open ones first: the entry, that day's attendance,
// what the person said; agree (the entry stops counting) or refuse with a note the person reads.
page({
  data: { items: [], loading: true, loaded: false, notes: {}, noteErrors: {}, error: '' },

  onLoad() {
    this.run = loader(this)
    return this.load()
  },

  onPullDownRefresh() {
    return this.load().finally(() => wx.stopPullDownRefresh())
  },

  load() {
    return this.run(() => staff.corrections(), (list) => {
      this.setData({ items: list.map((c) => ({ ...c, what: c.kind === 'no_show' ? '工人没到岗' : '雇主开工当天取消了工人',
        dayText: fmt.day(c.day), attendanceText: attendanceWords(c.attendance), stateText: fmt.correction(c) })) })
    })
  },

  onNote(e) {
    this.setData({ ['notes.' + e.currentTarget.dataset.id]: e.detail.value })
  },

  async decide(e) {
    const { id, accept } = e.currentTarget.dataset
    this.setData({ ['noteErrors.' + id]: '', error: '' })
    try {
      await staff.decideCorrection(id, accept, this.data.notes[id] || '')
      await this.load()
    } catch (err) {
      const field = fieldErrors(err)
      if (field.note) return this.setData({ ['noteErrors.' + id]: field.note })
      this.setData({ error: messageOf(err) })
    }
  },
})

// attendanceWords says what the day's check-in shows, for judging a no-show.
function attendanceWords(a) {
  if (!a) return '那天没有签到记录'
  const at = fmt.dateTime(a.arrived_at).slice(-5)
  const how = a.method === 'scan' ? '扫码到岗 ' + at : '雇主代记到岗 ' + at
  const answer = { confirmed: '，工人确认了', contested: '，工人说不对' }[a.answer] || ''
  return '那天的签到：' + how + (a.left_at ? '，收工 ' + fmt.dateTime(a.left_at).slice(-5) : '') + answer
}
