const info = require('../../services/info')
const { careMode, messageOf } = require('../../utils/page')

// 技能培训: the courses open for sign-up; the worker picks the session that suits them.
Page({
  data: { items: [], mine: [], error: '', care: false },

  onShow() {
    this.setData({ care: careMode() })
    return this.load()
  },

  async load() {
    try {
      const [items, mine] = await Promise.all([info.trainings(), info.myEnrollments().catch(() => [])])
      this.setData({ items, mine, error: '' })
    } catch (err) {
      this.setData({ error: messageOf(err) })
    }
  },

  async enroll(e) {
    const { training, session } = e.currentTarget.dataset
    try {
      await info.enroll(training, session)
      wx.showToast({ title: '报名成功，上课前一天会提醒您', icon: 'none' })
      await this.load()
    } catch (err) {
      if (err.code === 'profile_missing') return wx.navigateTo({ url: '/pages/register/worker' })
      this.setData({ error: messageOf(err) })
    }
  },
})
