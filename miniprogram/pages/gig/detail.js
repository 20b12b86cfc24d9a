const gigs = require('../../services/gigs')
const applications = require('../../services/applications')
const fmt = require('../../utils/format')
const speech = require('../../utils/speech')
const family = require('../../services/family')
const subscribe = require('../../services/subscribe')
const { page, today, messageOf } = require('../../utils/page')

// One gig: what, where, when, how much; call in one tap, the map in one tap, apply in one tap.
page({
  data: { gig: null, error: '', busy: false, applied: null, today: '', wageText: '', dateText: '', speech: '', elders: [],
    resultTemplate: '', noNotice: false, canApply: false, statusLine: '', employerRecordText: '' },

  onLoad(query) {
    // A poster's mini-program code carries the gig id as its scene.
    const id = (query && (query.id || decodeURIComponent(query.scene || ''))) || ''
    this.setData({ today: today() })
    this.loadTemplate()
    return this.load(id)
  },

  // The message template is fetched now: WeChat shows the subscribe sheet only if it is asked inside the tap.
  async loadTemplate() {
    this.setData({ resultTemplate: await subscribe.template('application_result') })
  },

  readAloud() {
    speech.speak(this.data.speech).catch((err) => this.setData({ error: messageOf(err) }))
  },

  async load(id) {
    try {
      const gig = await gigs.detail(id)
      this.show(gig.my_application || null, gig)
      this.setData({ gig, wageText: fmt.wage(gig.wage_cents, gig.wage_unit), employerRecordText: fmt.employerRecord(gig.employer_record),
        dateText: fmt.workDate(gig.start_date, gig.end_date, this.data.today), speech: fmt.speakGig(gig, this.data.today) })
      this.setData({ elders: await family.elders().catch(() => []) })
    } catch (err) {
      this.setData({ error: err.code === 'not_found' ? '这个活已经没有了，看看别的吧' : messageOf(err) })
    }
  },

  // show decides what the page says about applying: the button, or the truth about this gig and this user.
  show(applied, gig = this.data.gig) {
    const again = !applied || applied.status === 'withdrawn'
    const open = gig.status === 'published' && gig.spots_left > 0
    this.setData({ applied, canApply: again && open,
      statusLine: applied && !(again && open) ? fmt.myApplicationWords[applied.status] || '' : open ? '' : fmt.closedGigWords[gig.status] || '' })
  },

  // onShareAppMessage sends the gig to a chat (a family member, a friend): the card opens this gig.
  onShareAppMessage() {
    const g = this.data.gig
    if (!g) return { title: '附近的零工', path: '/pages/index/index' }
    return { title: g.title + '，' + this.data.wageText + '，' + this.data.dateText, path: '/pages/gig/detail?id=' + g.id }
  },

  call() {
    const phone = this.data.gig.contact_phone
    if (!phone) return this.setData({ error: '雇主没有留电话，可以先报名，等雇主联系您' })
    wx.makePhoneCall({ phoneNumber: phone })
  },

  // openEmployerRecord shows the employer's numbers and how each is counted.
  openEmployerRecord() {
    wx.navigateTo({ url: '/pages/record/index?employer=' + this.data.gig.employer_id })
  },

  register() {
    wx.navigateTo({ url: '/pages/register/worker?then=' + this.data.gig.id })
  },

  openMap() {
    const g = this.data.gig
    wx.openLocation({ latitude: g.lat, longitude: g.lng, name: g.title, address: g.address, scale: 16 })
  },

  // tapApply asks for the result message (synchronously, inside the tap, as WeChat requires), then applies.
  tapApply() {
    if (this.data.busy) return
    this.setData({ busy: true, error: '' })
    subscribe.ask(this.data.resultTemplate, (granted) => {
      this.setData({ noNotice: !granted })
      this.apply()
    })
  },

  // applyFor applies for a family member the caller acts for (亲情代办).
  async applyFor(e) {
    try {
      await family.applyFor(e.currentTarget.dataset.elder, this.data.gig.id)
      wx.showToast({ title: '已替家人报名', icon: 'none' })
    } catch (err) {
      this.setData({ error: messageOf(err) })
    }
  },

  async apply() {
    try {
      const app = await applications.apply(this.data.gig.id)
      this.show({ id: app.id, status: app.status })
      wx.showToast({ title: app.status === 'confirmed' ? '已录用，请按时到岗' : '报名成功，等雇主回复', icon: 'none' })
    } catch (err) {
      if (err.code === 'profile_missing') {
        wx.navigateTo({ url: '/pages/register/worker?then=' + this.data.gig.id })
      } else {
        this.setData({ error: messageOf(err) })
      }
    } finally {
      this.setData({ busy: false })
    }
  },
})
