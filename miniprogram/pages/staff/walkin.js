const staff = require('../../services/staff')
const account = require('../../services/account')
const { page, fieldErrors, messageOf } = require('../../utils/page')

// 窗口代办: staff register a person without a smartphone, with how they agreed, then print their slip: the
// 登记号 and a one-time binding code for them or their family to claim the profile later.
page({
  data: { categories: [], skills: {}, form: { name: '', id_number: '', phone: '', area_code: '' }, region: [],
    consent: 'spoken', note: '', slip: null, errors: {}, error: '', busy: false },

  async onLoad() {
    try {
      this.setData({ categories: await account.categories() })
    } catch (err) {
      this.setData({ error: messageOf(err) })
    }
  },

  onInput(e) { this.setData({ ['form.' + e.currentTarget.dataset.field]: e.detail.value }) },
  onRegion(e) { this.setData({ region: e.detail.value, 'form.area_code': e.detail.code[2] }) },
  toggleSkill(e) { this.setData({ ['skills.' + e.currentTarget.dataset.id]: !this.data.skills[e.currentTarget.dataset.id] }) },
  pickConsent(e) { this.setData({ consent: e.currentTarget.dataset.k }) },
  onNote(e) { this.setData({ note: e.detail.value }) },

  async submit() {
    const f = this.data.form
    const person = { name: f.name.trim(), id_number: f.id_number.trim().toUpperCase(), area_code: f.area_code,
      skills: Object.keys(this.data.skills).filter((k) => this.data.skills[k]).map(Number),
      consent: { method: this.data.consent, note: this.data.note } }
    if (f.phone) person.phone = f.phone
    this.setData({ busy: true, errors: {}, error: '' })
    try {
      const made = await staff.registerWalkIn(person)
      const code = await staff.bindingCode(made.worker_no)
      this.setData({ slip: { workerNo: made.worker_no, name: made.name, code: code.code, expires: code.expires_at.slice(0, 10) } })
    } catch (err) {
      this.setData({ errors: fieldErrors(err), error: messageOf(err) })
    } finally {
      this.setData({ busy: false })
    }
  },
})
