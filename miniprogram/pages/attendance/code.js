const attendance = require('../../services/attendance')
const fmt = require('../../utils/format')
const { page, today, messageOf } = require('../../utils/page')
const { loader } = require('../../utils/list')

// The employer's phone on site: today's check-in code for one gig, drawn by the server and changed every 30
// seconds, and who has come. A worker without a phone is marked here, and confirms in their own app.
page({
  data: { gigId: '', qr: '', codeError: '', items: [], loading: true, loaded: false, error: '', markTime: {}, marked: '' },

  onLoad(query) {
    this.run = loader(this)
    this.setData({ gigId: query.gig })
    this.refreshCode()
    return this.load()
  },

  onShow() {
    if (this.stopped) this.refreshCode()
    this.stopped = false
  },

  // A hidden page stops asking: the code is only worth showing while someone looks at it.
  onHide() {
    this.stop()
  },

  onUnload() {
    this.stop()
  },

  stop() {
    this.stopped = true
    clearTimeout(this.timer)
  },

  onPullDownRefresh() {
    return this.load().finally(() => wx.stopPullDownRefresh())
  },

  async refreshCode() {
    clearTimeout(this.timer)
    try {
      const code = await attendance.code(this.data.gigId)
      if (this.stopped) return
      this.setData({ qr: code.qr_png, codeError: '' })
      // The next code a moment after the server changes it; a minute of grace covers a slow network.
      const wait = Math.max(1000, new Date(code.changes_at).getTime() - Date.now() + 300)
      this.timer = setTimeout(() => this.refreshCode(), wait)
    } catch (err) {
      this.setData({ qr: '', codeError: messageOf(err) })
    }
  },

  load() {
    return this.run(() => attendance.day(this.data.gigId, today()), (list) => {
      this.setData({ items: list.map((p) => ({ ...p, text: arrivalText(p.attendance), leftText: p.attendance && p.attendance.left_at ? '收工 ' + fmt.dateTime(p.attendance.left_at).slice(-5) : '' })) })
    })
  },

  onMarkTime(e) {
    this.setData({ ['markTime.' + e.currentTarget.dataset.id]: e.detail.value })
  },

  async mark(e) {
    const id = e.currentTarget.dataset.id
    const at = this.data.markTime[id] || nowHHMM()
    try {
      await attendance.mark(this.data.gigId, id, today(), at)
      this.setData({ marked: '已记下，请他在自己的小程序里确认' })
      await this.load()
    } catch (err) {
      this.setData({ error: messageOf(err) })
    }
  },

  // where opens the map at the phone's location at check-in: the employer's to see, for this day.
  where(e) {
    const p = this.data.items.find((x) => x.worker_id === e.currentTarget.dataset.id)
    wx.openLocation({ latitude: p.arrive_location.lat, longitude: p.arrive_location.lng, name: p.name + '签到的位置' })
  },
})

function nowHHMM() {
  return new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(11, 16)
}

const answerWords = { '': '，等他确认', confirmed: '，他已确认', contested: '，他说不对' }

function arrivalText(a) {
  if (!a) return '还没到'
  const at = fmt.dateTime(a.arrived_at).slice(-5)
  if (a.method === 'scan') return '到岗 ' + at + '（扫码）'
  return '您记的到岗 ' + at + answerWords[a.answer] + (a.answer_note ? '：' + a.answer_note : '')
}
