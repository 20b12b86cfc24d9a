const family = require('../../services/family')
const { page, fieldErrors, messageOf } = require('../../utils/page')

// Claiming a profile made at the market's window: the 8-digit 认领号 and the 6-digit 绑定码 printed on the slip.
page({
  data: { ticket: '', code: '', errors: {}, error: '', busy: false, done: false },
  onTicket(e) { this.setData({ ticket: e.detail.value }) },
  onCode(e) { this.setData({ code: e.detail.value }) },
  async submit() {
    this.setData({ busy: true, errors: {}, error: '' })
    try {
      await family.claim(this.data.ticket.trim(), this.data.code.trim())
      this.setData({ done: true })
      wx.showToast({ title: '绑定好了', icon: 'success' })
      wx.switchTab({ url: '/pages/applications/index' })
    } catch (err) {
      this.setData({ errors: fieldErrors(err), error: messageOf(err) })
    } finally {
      this.setData({ busy: false })
    }
  },
})
