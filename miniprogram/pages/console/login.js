const consoleLogin = require('../../services/console')
const { page, messageOf } = require('../../utils/page')

// 在电脑上登录工作台？ The staff member scanned the code on the PC's sign-in page: the page shows which PC
// asks (its IP and browser) before they confirm; afterwards it can end that console again.
page({
  data: { ticket: '', pc: null, error: '', loading: true, busy: false, done: false, ended: '' },
  async onLoad(options) {
    // getwxacodeunlimit hands the scene over URL-encoded.
    const ticket = decodeURIComponent((options && options.scene) || '')
    this.setData({ ticket })
    if (!ticket) {
      this.setData({ loading: false, error: '没有读到登录码，请在电脑上刷新二维码再扫' })
      return
    }
    try {
      const pc = await consoleLogin.ticket(ticket)
      this.setData({ pc })
    } catch (err) {
      this.setData({ error: messageOf(err) })
    } finally {
      this.setData({ loading: false })
    }
  },
  async confirm() {
    this.setData({ busy: true, error: '' })
    try {
      await consoleLogin.confirm(this.data.ticket)
      this.setData({ done: true })
    } catch (err) {
      this.setData({ error: messageOf(err) })
    } finally {
      this.setData({ busy: false })
    }
  },
  cancel() {
    wx.reLaunch({ url: '/pages/me/index' })
  },
  async endConsole() {
    this.setData({ busy: true, error: '' })
    try {
      const res = await consoleLogin.endSessions()
      this.setData({ ended: res.ended > 0 ? '电脑上的工作台已退出' : '电脑上没有登录着的工作台' })
    } catch (err) {
      this.setData({ error: messageOf(err) })
    } finally {
      this.setData({ busy: false })
    }
  },
})
