const info = require('../../services/info')
const account = require('../../services/account')
const fmt = require('../../utils/format')
const { page } = require('../../utils/page')
const { loader } = require('../../utils/list')

// 市场信息: what the market publishes for the worker's area — policy notices, job fairs, 紧缺工种 and
// 工资指导价位 — with trades by name. A registered worker sees their own area; anyone else sees the province's.
page({
  data: { loading: true, loaded: false, error: '', notices: [], fairs: [], shortages: [], guides: [], open: '' },

  onLoad() {
    this.run = loader(this)
    return this.load()
  },

  onPullDownRefresh() {
    return this.load().finally(() => wx.stopPullDownRefresh())
  },

  load() {
    return this.run(async () => {
      const me = await account.worker().catch(() => null)
      const area = (me && me.area_code) || ''
      return Promise.all([account.categories(), info.notices(area), info.jobFairs(), info.shortages(area), info.wageGuides(area)])
    }, ([categories, notices, fairs, shortages, guides]) => {
      const trade = {}
      categories.forEach((c) => (trade[c.id] = c))
      const named = (x) => ({ ...x, trade: (trade[x.category_id] || { name: '其他' }).name, code: (trade[x.category_id] || { code: 'other' }).code })
      this.setData({
        notices: notices.map((n) => ({ ...n, when: fmt.dateTime(n.published_at).split(' ')[0] })),
        fairs: fairs.map((f) => ({ ...f, when: fmt.day(f.date) + ' ' + f.start_time + '到' + f.end_time })),
        shortages: shortages.map(named),
        guides: guides.map(named).map((g) => ({ ...g,
          text: fmt.yuan(g.low_cents) + '到' + fmt.yuan(g.high_cents) + '元/天，一般' + fmt.yuan(g.median_cents) + '元' })),
      })
    })
  },

  toggle(e) {
    const id = e.currentTarget.dataset.id
    this.setData({ open: this.data.open === id ? '' : id })
  },
})
