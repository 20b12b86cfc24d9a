const info = require('../../services/info')
const fmt = require('../../utils/format')
const { today, careMode, messageOf } = require('../../utils/page')

// 意外伤害保险: whether anything covers the worker today, the plans on offer, reporting an injury.
Page({
  data: { plans: [], coveredToday: false, policies: [], error: '', care: false },

  onShow() {
    this.setData({ care: careMode() })
    return this.load()
  },

  async load() {
    try {
      const [plans, mine] = await Promise.all([info.plans(), info.myInsurance()])
      this.setData({ plans: plans.map((p) => ({ ...p, cover: fmt.yuan(p.death_disability_cents) })), coveredToday: mine.covered_today, policies: mine.policies, error: '' })
    } catch (err) {
      this.setData({ error: messageOf(err) })
    }
  },

  async enrol(e) {
    try {
      await info.insure(e.currentTarget.dataset.plan, today())
      wx.showToast({ title: '已提交，工作人员确认后生效', icon: 'none' })
      await this.load()
    } catch (err) {
      this.setData({ error: messageOf(err) })
    }
  },

  async report(e) {
    try {
      await info.reportIncident(e.currentTarget.dataset.policy, { happened_at: new Date().toISOString(), place: '干活的地方', description: '干活时受伤，请工作人员联系我' })
      wx.showToast({ title: '已报案，工作人员会联系您', icon: 'none' })
      await this.load()
    } catch (err) {
      this.setData({ error: messageOf(err) })
    }
  },
})
