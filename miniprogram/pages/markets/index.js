const info = require('../../services/info')
const fmt = require('../../utils/format')
const { page } = require('../../utils/page')
const { loader } = require('../../utils/list')

// 零工市场/驿站 on a map and in a list, nearest first; also a way to look for gigs by a market when the
// phone's location is off.
page({
  data: { items: [], loading: true, loaded: false, markers: [], center: { lat: 31.8206, lng: 117.2272 }, pick: false, error: '' },

  onLoad(query) {
    this.run = loader(this)
    this.here = null
    this.setData({ pick: !!(query && query.pick) })
    wx.getLocation({ type: 'gcj02', success: (p) => {
      this.here = { lat: p.latitude, lng: p.longitude }
      this.load()
    }, fail: () => this.load() })
  },

  onPullDownRefresh() {
    return this.load().finally(() => wx.stopPullDownRefresh())
  },

  // load lists the markets, nearest first when the phone's place is known.
  load() {
    const here = this.here
    return this.run(() => info.markets(here && here.lat, here && here.lng), (items) => this.setData({
      items: items.map((m) => ({ ...m, distanceText: fmt.distance(m.distance_m) })),
      markers: items.map((m) => ({ id: m.id, latitude: m.lat, longitude: m.lng, title: m.name, iconPath: '/icons/marker.png', width: 40, height: 40 })),
      center: here || this.data.center,
    }))
  },

  openInfo() {
    wx.navigateTo({ url: '/pages/info/index' })
  },

  navigate(e) {
    const m = this.data.items.find((x) => x.id === e.currentTarget.dataset.id)
    wx.openLocation({ latitude: m.lat, longitude: m.lng, name: m.name, address: m.address, scale: 16 })
  },

  call(e) {
    wx.makePhoneCall({ phoneNumber: e.currentTarget.dataset.phone })
  },

  gigsHere(e) {
    const m = this.data.items.find((x) => x.id === e.currentTarget.dataset.id)
    const pages = getCurrentPages()
    const home = pages.find((p) => p.route === 'pages/index/index')
    if (home) home.useLocation(m.lat, m.lng)
    wx.navigateBack()
  },
})
