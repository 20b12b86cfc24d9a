const account = require('../../services/account')
const fmt = require('../../utils/format')
const { page, fieldErrors, messageOf } = require('../../utils/page')

// 招工登记: a company by its credit code or a person by their ID; staff check it before gigs go out.
page({
  data: { kind: 'company', form: {}, areaName: '', storedID: '', storedPhone: '', status: '', statusText: '', rejectReason: '',
    errors: {}, error: '', busy: false },

  async onLoad() {
    try {
      this.show(await account.employer())
    } catch (err) {
      if (err.code !== 'profile_missing') this.setData({ error: messageOf(err) })
    }
  },

  // show puts what is stored on the form; the ID number and phone stay masked and are kept when left empty.
  show(e) {
    this.setData({ kind: e.kind, status: e.status, statusText: fmt.reviewWords[e.status], rejectReason: e.reject_reason,
      areaName: e.area_name, storedID: e.id_number, storedPhone: e.contact_phone,
      form: { company_name: e.kind === 'company' ? e.display_name : '', credit_code: e.credit_code, legal_name: e.legal_name,
        contact_name: e.contact_name, area_code: e.area_code, address: e.address } })
  },

  pickKind(e) { this.setData({ kind: e.currentTarget.dataset.kind }) },
  onInput(e) { this.setData({ ['form.' + e.currentTarget.dataset.field]: e.detail.value }) },
  // <picker mode="region"> gives the county's GB/T 2260 code as the last of e.detail.code.
  onRegion(e) { this.setData({ areaName: e.detail.value[1] + e.detail.value[2], 'form.area_code': e.detail.code[2] }) },

  async submit() {
    const f = this.data.form
    const body = { kind: this.data.kind, contact_name: f.contact_name || '', contact_phone: f.contact_phone || '',
      area_code: f.area_code || '', address: f.address || '' }
    if (this.data.kind === 'company') Object.assign(body, { company_name: f.company_name || '', credit_code: f.credit_code || '' })
    else Object.assign(body, { legal_name: f.legal_name || '', id_number: f.id_number || '' })
    this.setData({ busy: true, errors: {}, error: '' })
    try {
      this.show(await account.saveEmployer(body))
      wx.showToast({ title: '已提交，等工作人员审核', icon: 'none' })
    } catch (err) {
      this.setData({ errors: fieldErrors(err), error: messageOf(err) })
    } finally {
      this.setData({ busy: false })
    }
  },
})
