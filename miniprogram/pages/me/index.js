const account = require('../../services/account')
const { careMode, messageOf } = require('../../utils/page')

// 我的: what the user is (worker, employer, staff) and where to go for each.
Page({
  data: { me: null, isStaff: false, isEmployer: false, error: '', care: false },

  async onShow() {
    this.setData({ care: careMode() })
    try {
      const me = await account.me()
      this.setData({ me, isStaff: me.roles.includes('staff') || me.roles.includes('admin'), isEmployer: me.roles.includes('employer') })
    } catch (err) {
      this.setData({ error: messageOf(err) })
    }
  },

  go(e) {
    wx.navigateTo({ url: e.currentTarget.dataset.url })
  },
})
