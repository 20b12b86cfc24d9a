const info = require('../../services/info')
const fmt = require('../../utils/format')
const { page, today, messageOf, confirm } = require('../../utils/page')
const { loader } = require('../../utils/list')

// 意外伤害保险: whether anything covers the worker today, the plans on offer, reporting an injury.
page({
  data: { plans: [], coveredToday: false, policies: [], loading: true, loaded: false, error: '' },

  onLoad() {
    this.run = loader(this)
  },

  onPullDownRefresh() {
    return this.load().finally(() => wx.stopPullDownRefresh())
  },

  onShow() {
    return this.load()
  },

  load() {
    return this.run(() => Promise.all([info.plans(), info.myInsurance()]), ([plans, mine]) => {
      this.setData({
        plans: plans.map((p) => ({ ...p, cover: fmt.yuan(p.death_disability_cents), termText: fmt.planTerms[p.term] || '', priceText: fmt.planPrice(p) })),
        coveredToday: mine.covered_today, error: '',
        policies: mine.policies.map((p) => ({ ...p, when: fmt.day(p.start_date) + '至' + fmt.day(p.end_date), statusText: fmt.policyWords[p.status] || '' })),
      })
    })
  },

  async enrol(e) {
    const p = this.data.plans.find((x) => x.id === e.currentTarget.dataset.plan)
    if (!(await confirm('投保“' + p.name + '”？', '从今天起保' + p.termText + '，' + p.priceText + '。身故伤残最高' + p.cover + '元。' +
      '工作人员确认后生效。', '投保'))) return
    try {
      await info.insure(e.currentTarget.dataset.plan, today())
      wx.showToast({ title: '已提交，工作人员确认后生效', icon: 'none' })
      await this.load()
    } catch (err) {
      this.setData({ error: messageOf(err) })
    }
  },

  async report(e) {
    if (!(await confirm('您受伤了，要报案吗？', '工作人员会尽快打电话联系您，请保持手机能打通。伤得重请先打120。', '报案'))) return
    try {
      await info.reportIncident(e.currentTarget.dataset.policy, { happened_at: new Date().toISOString(), place: '干活的地方', description: '干活时受伤，请工作人员联系我' })
      wx.showToast({ title: '已报案，工作人员会联系您', icon: 'none' })
      await this.load()
    } catch (err) {
      this.setData({ error: messageOf(err) })
    }
  },
})
