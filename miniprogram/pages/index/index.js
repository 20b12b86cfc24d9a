const gigs = require('../../services/gigs')
const account = require('../../services/account')
const info = require('../../services/info')
const fmt = require('../../utils/format')
const speech = require('../../utils/speech')
const { page, today, messageOf } = require('../../utils/page')
const { loader } = require('../../utils/list')

// Home: the gigs near the worker, 3 km first, as big cards; filters by 工种, day and 日结.
page({
  data: {
    items: [], cursor: '', done: false, loading: false, loaded: false, error: '', today: '',
    location: null, radius: '', categories: [], category: '', date: '', daily: false, keyword: '', typed: '', showMap: false, markers: [],
    dates: [{ key: '', label: '不限' }, { key: 'today', label: '今天' }, { key: 'tomorrow', label: '明天' }],
  },

  // onLoad opens around the market whose screen code was scanned (scene "m=<id>"), else where the phone is.
  onLoad(query) {
    this.run = loader(this)
    this.setData({ today: today() })
    this.loadCategories()
    const scene = decodeURIComponent((query && query.scene) || '')
    if (scene.startsWith('m=')) return this.atMarket(scene.slice(2))
    this.locate()
  },

  async atMarket(id) {
    try {
      const m = await info.market(id)
      this.marketId = m.id
      // Around a market, look as far as its screen does.
      this.setData({ radius: 5000 })
      await this.useLocation(m.lat, m.lng)
    } catch (err) {
      this.locate()
    }
  },

  async loadCategories() {
    try {
      this.setData({ categories: await account.categories() })
    } catch (err) {
      this.setData({ error: messageOf(err) })
    }
  },

  locate() {
    wx.getLocation({
      type: 'gcj02',
      success: (p) => this.useLocation(p.latitude, p.longitude),
      fail: () => this.setData({ error: '没拿到您的位置。请点右上角“…”→设置，允许使用位置；或点下面“按零工市场找”。' }),
    })
  },

  useLocation(lat, lng) {
    this.setData({ location: { lat, lng }, error: '' })
    return this.refresh()
  },

  // refresh starts the list again for the current filters; an older answer still on its way is dropped.
  async refresh() {
    this.setData({ items: [], cursor: '', done: false, loaded: false })
    await this.fetch(true)
  },

  loadMore() {
    if (this.data.loading || this.data.done || !this.data.loaded) return
    return this.fetch(false)
  },

  fetch(fresh) {
    const { location, radius, cursor, category, date, daily, keyword } = this.data
    if (!location) return
    return this.run(() => gigs.nearby({ lat: location.lat, lng: location.lng, radius, category, date,
      settlement: daily ? 'daily' : '', q: keyword, cursor: fresh ? '' : cursor }),
    (page) => {
      const items = (fresh ? [] : this.data.items).concat(page.items)
      this.setData({ items, cursor: page.next_cursor, done: !page.next_cursor, markers: items.map((g) => ({ id: g.id,
        latitude: g.lat, longitude: g.lng, title: g.title, iconPath: '/icons/marker.png', width: 36, height: 36,
        callout: { content: g.title + ' ' + fmt.wage(g.wage_cents, g.wage_unit), fontSize: 16, padding: 8, borderRadius: 6, display: 'BYCLICK' } })) })
    })
  },

  retry() {
    return this.data.location ? this.refresh() : this.locate()
  },

  onPullDownRefresh() {
    this.refresh().finally(() => wx.stopPullDownRefresh())
  },

  onReachBottom() {
    this.loadMore()
  },

  pickCategory(e) {
    const id = e.currentTarget.dataset.id
    this.setData({ category: this.data.category === id ? '' : id })
    return this.refresh()
  },

  pickDate(e) {
    this.setData({ date: e.currentTarget.dataset.key })
    return this.refresh()
  },

  toggleDaily() {
    this.setData({ daily: !this.data.daily })
    return this.refresh()
  },

  readAloud() {
    speech.speak(fmt.speakGigs(this.data.items, this.data.today)).catch((err) => this.setData({ error: messageOf(err) }))
  },

  onTyped(e) { this.setData({ typed: e.detail.value }) },

  // search looks for the typed words among the gigs near, with the filters chosen.
  search() {
    this.setData({ keyword: this.data.typed.trim() })
    return this.refresh()
  },

  clearSearch() {
    this.setData({ keyword: '', typed: '' })
    return this.refresh()
  },

  toggleMap() {
    this.setData({ showMap: !this.data.showMap })
  },

  // A marker on the map is a gig: tapping it opens the gig.
  openMarker(e) {
    wx.navigateTo({ url: '/pages/gig/detail?id=' + e.detail.markerId })
  },

  openGig(e) {
    wx.navigateTo({ url: '/pages/gig/detail?id=' + e.detail.id })
  },

  // alertMe opens 有活提醒 filled in with what this list shows: its 工种, 日结, and the market it is around.
  alertMe() {
    const { category, daily } = this.data
    let url = '/pages/alerts/index?from=list'
    if (category) url += '&category=' + category
    if (daily) url += '&daily=1'
    if (this.marketId) url += '&market=' + this.marketId
    wx.navigateTo({ url })
  },

  byMarket() {
    wx.navigateTo({ url: '/pages/markets/index?pick=1' })
  },
})
