// The tab bar, drawn by the app (app.json tabBar.custom) so that 长辈版 can make it as big as the rest:
// WeChat's own tab bar keeps its small text whatever the app does.
const tabs = [
  { route: 'pages/index/index', text: '找活', icon: 'tab-gigs' },
  { route: 'pages/applications/index', text: '我的报名', icon: 'tab-applications' },
  { route: 'pages/me/index', text: '我的', icon: 'tab-me' },
]

Component({
  options: { addGlobalClass: true },
  data: { tabs, selected: '', care: false },
  methods: {
    // show is called by each tab page as it shows (utils/page.js): which tab is on, and the care mode.
    show(route, care) {
      this.setData({ selected: route, care })
    },
    go(e) {
      const route = e.currentTarget.dataset.route
      if (route !== this.data.selected) wx.switchTab({ url: '/' + route })
    },
  },
})
