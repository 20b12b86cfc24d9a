const info = require('../../services/info')
const fmt = require('../../utils/format')
const { careMode, messageOf } = require('../../utils/page')

// 零工市场/驿站 on a map and in a list, nearest first; also a way to look for gigs by a market when the
// phone's location is off.
Page({
  data: { items: [], markers: [], center: { lat: 31.8206, lng: 117.2272 }, pick: false, error: '', care: false },

  onLoad(query) {
    this.setData({ pick: !!(query && query.pick), care: careMode() })
    wx.getLocation({ type: 'gcj02', success: (p) => this.load(p.latitude, p.longitude), fail: () => this.load() })
  },

  async load(lat, lng) {
    try {
      const items = await info.markets(lat, lng)
      this.setData({
        items: items.map((m) => ({ ...m, distanceText: fmt.distance(m.distance_m) })),
        markers: items.map((m) => ({ id: m.id, latitude: m.lat, longitude: m.lng, title: m.name, width: 40, height: 40 })),
        center: lat ? { lat, lng } : this.data.center,
      })
    } catch (err) {
      this.setData({ error: messageOf(err) })
    }
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
