const staff = require('../../services/staff')
const account = require('../../services/account')
const complaints = require('../../services/complaints')
const fmt = require('../../utils/format')
const { page, fieldErrors, messageOf } = require('../../utils/page')

// 窗口代办: staff register a person without a smartphone, with how they agreed (a paper form is photographed),
// then print their slip: the 登记号 and a one-time binding code for them or their family to claim the profile.
// A code that did not print, expired or was mistyped five times is printed again from the 登记号.
page({
  data: { categories: [], skills: {}, form: { name: '', id_number: '', phone: '', area_code: '' }, areaName: '',
    consent: 'spoken', note: '', paper: null, made: null, slip: null, reissueNo: '', errors: {}, error: '', busy: false },

  async onLoad() {
    try {
      this.setData({ categories: await account.categories() })
    } catch (err) {
      this.setData({ error: messageOf(err) })
    }
  },

  onInput(e) { this.setData({ ['form.' + e.currentTarget.dataset.field]: e.detail.value }) },
  onRegion(e) { this.setData({ areaName: e.detail.value[1] + e.detail.value[2], 'form.area_code': e.detail.code[2] }) },
  toggleSkill(e) { this.setData({ ['skills.' + e.currentTarget.dataset.id]: !this.data.skills[e.currentTarget.dataset.id] }) },
  pickConsent(e) { this.setData({ consent: e.currentTarget.dataset.k }) },
  onNote(e) { this.setData({ note: e.detail.value }) },
  onReissueNo(e) { this.setData({ reissueNo: e.detail.value }) },

  // photographPaper takes a picture of the signed consent form and uploads it at once.
  photographPaper() {
    wx.chooseMedia({
      count: 1,
      mediaType: ['image'],
      sourceType: ['camera', 'album'],
      sizeType: ['compressed'],
      success: (res) => {
        const path = res.tempFiles[0].tempFilePath
        this.setData({ paper: { path, id: 0, progress: 0, failed: false } })
        // A retake replaces the photo: answers about an earlier one are dropped.
        const still = () => this.data.paper && this.data.paper.path === path
        complaints.uploadPhoto(path, (progress) => still() && this.setData({ 'paper.progress': progress }))
          .then((up) => still() && this.setData({ 'paper.id': up.id }))
          .catch((err) => still() && this.setData({ 'paper.failed': true, error: messageOf(err) }))
      },
    })
  },

  async submit() {
    if (this.data.busy) return
    const f = this.data.form
    const paper = this.data.paper
    if (this.data.consent === 'paper' && paper && !paper.id) return this.setData({ error: '同意书照片还没传好，请稍等或重拍' })
    const person = { name: f.name.trim(), id_number: f.id_number.trim().toUpperCase(), area_code: f.area_code,
      skills: Object.keys(this.data.skills).filter((k) => this.data.skills[k]).map(Number),
      consent: { method: this.data.consent, note: this.data.note } }
    if (this.data.consent === 'paper' && paper) person.consent.photo_id = paper.id
    if (f.phone) person.phone = f.phone
    this.setData({ busy: true, errors: {}, error: '' })
    try {
      // Registered once: a retry after the code failed to print does not register the person again.
      const made = this.data.made || (await staff.registerWalkIn(person))
      this.setData({ made })
      await this.print(made.worker_no, made.name)
    } catch (err) {
      this.setData({ errors: fieldErrors(err), error: messageOf(err) })
    } finally {
      this.setData({ busy: false })
    }
  },

  async print(workerNo, name) {
    try {
      const code = await staff.bindingCode(workerNo)
      this.setData({ slip: { workerNo, name, ticket: code.ticket, code: code.code, expires: fmt.dateTime(code.expires_at) } })
    } catch (err) {
      this.setData({ error: '已登记（登记号 ' + workerNo + '），绑定码没打出来：' + messageOf(err) + ' 请点“重新打印绑定码”。' })
    }
  },

  async reissue() {
    const no = Number(this.data.reissueNo)
    if (!no) return this.setData({ errors: { reissue: '请填写纸条上的登记号' } })
    this.setData({ busy: true, errors: {}, error: '' })
    try {
      await this.print(no, '登记号 ' + no + ' 的人')
    } finally {
      this.setData({ busy: false })
    }
  },

  another() {
    this.setData({ made: null, slip: null, paper: null, skills: {}, form: { name: '', id_number: '', phone: '', area_code: '' }, areaName: '', note: '' })
  },
})
