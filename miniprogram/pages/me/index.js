const account = require('../../services/account')
const { page, messageOf, careMode, setCareMode, applyCare } = require('../../utils/page')

// 我的: the 长辈版 switch, then only the entries for what the user is — a worker's services, an employer's
// gigs, the staff workbench; someone new sees the two ways in (找活 or 招工).
page({
  data: { me: null, isWorker: false, isEmployer: false, isStaff: false, isNew: false, loaded: false, error: '' },

  async onShow() {
    try {
      const me = await account.me()
      const has = (r) => me.roles.includes(r)
      const isWorker = has('worker')
      const isEmployer = has('employer')
      this.setData({ me, isWorker, isEmployer, isStaff: has('staff') || has('admin'), isNew: !isWorker && !isEmployer, loaded: true, error: '' })
    } catch (err) {
      this.setData({ error: messageOf(err) })
    }
  },

  // toggleCare switches 长辈版 for every page, now and on later visits.
  toggleCare() {
    setCareMode(!careMode())
    applyCare(this)
  },

  go(e) {
    wx.navigateTo({ url: e.currentTarget.dataset.url })
  },
})
