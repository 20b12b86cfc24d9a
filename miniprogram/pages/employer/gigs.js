const gigs = require('../../services/gigs')
const fmt = require('../../utils/format')
const { page, messageOf, confirm } = require('../../utils/page')
const { loader } = require('../../utils/list')

// 我发布的活: review status (内容检测中 while WeChat's check has not answered, the reason when turned down), spots,
// and the way to the applicants.
page({
  data: { items: [], loading: true, loaded: false, error: '', checkingWords: fmt.checkingWords },

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
    return this.run(() => gigs.mine(), (list) => this.setData({ items: list.map((g) => ({ ...g, statusText: fmt.reviewWords[g.status] || '',
      wageText: fmt.wage(g.wage_cents, g.wage_unit) })) }))
  },

  edit(e) {
    wx.navigateTo({ url: '/pages/employer/post?edit=' + e.currentTarget.dataset.id })
  },

  applicants(e) {
    wx.navigateTo({ url: '/pages/employer/applicants?gig=' + e.currentTarget.dataset.id })
  },

  async close(e) {
    const gig = this.data.items.find((g) => g.id === e.currentTarget.dataset.id)
    if (!(await confirm('撤下“' + gig.title + '”？', '撤下后工人就看不到这个活了，已报名和已录用的人会收到通知。', '撤下'))) return
    try {
      await gigs.close(e.currentTarget.dataset.id)
      await this.load()
    } catch (err) {
      this.setData({ error: messageOf(err) })
    }
  },
})
