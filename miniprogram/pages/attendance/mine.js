const attendance = require('../../services/attendance')
const fmt = require('../../utils/format')
const { page, messageOf } = require('../../utils/page')
const { loader } = require('../../utils/list')

// The worker's check-in: scan the employer's code on arrival and again on leaving; the days recorded, and the
// employer's marks to confirm or contest.
page({
  data: { items: [], loading: true, loaded: false, error: '', result: '', scanError: '', notes: {}, contesting: 0 },

  onLoad() {
    this.run = loader(this)
    return this.load()
  },

  onPullDownRefresh() {
    return this.load().finally(() => wx.stopPullDownRefresh())
  },

  load() {
    return this.run(() => attendance.mine(), (list) => {
      this.setData({ items: list.map((a) => ({ ...a, dayText: fmt.day(a.day),
        arrivedText: (a.method === 'scan' ? '到岗 ' : '雇主记的到岗 ') + fmt.dateTime(a.arrived_at).slice(-5),
        leftText: a.left_at ? '收工 ' + fmt.dateTime(a.left_at).slice(-5) : '' })) })
    })
  },

  // scan opens the camera inside the tap; the phone's location goes with it when the user allows it, and the
  // check-in does not wait on a refusal.
  scan() {
    this.setData({ result: '', scanError: '' })
    wx.scanCode({ onlyFromCamera: true, scanType: ['qrCode'],
      success: (res) => this.send(res.result),
      fail: (err) => {
        if (!/cancel/.test(err.errMsg || '')) this.setData({ scanError: '扫不了码？请让雇主在他的手机上替您记到岗' })
      } })
  },

  async send(token) {
    // The code names its gig ("LGA1.<gig>.<day>…"); the server checks the rest.
    const parts = String(token || '').split('.')
    if (parts[0] !== 'LGA1' || !/^\d+$/.test(parts[1] || '')) {
      return this.setData({ scanError: '这不是这个活的签到码，请扫雇主手机上这个活的签到码' })
    }
    const place = await new Promise((resolve) => wx.getLocation({ type: 'gcj02',
      success: (p) => resolve({ lat: p.latitude, lng: p.longitude }), fail: () => resolve(null) }))
    try {
      const res = await attendance.scan(parts[1], token, place)
      const at = fmt.dateTime(res.left ? res.attendance.left_at : res.attendance.arrived_at).slice(-5)
      this.setData({ result: res.left ? '收工已记下，' + at : '签到成功，' + at + '到岗。收工时再扫一次' })
      await this.load()
    } catch (err) {
      this.setData({ scanError: messageOf(err) })
    }
  },

  onNote(e) {
    this.setData({ ['notes.' + e.currentTarget.dataset.id]: e.detail.value })
  },

  contest(e) {
    this.setData({ contesting: e.currentTarget.dataset.id })
  },

  async answer(e) {
    const { id, action } = e.currentTarget.dataset
    try {
      if (action === 'confirm') await attendance.confirm(id)
      else await attendance.contest(id, this.data.notes[id] || '')
      this.setData({ contesting: 0 })
      await this.load()
    } catch (err) {
      this.setData({ error: messageOf(err) })
    }
  },
})
