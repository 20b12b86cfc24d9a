const family = require('../../services/family')
const attendance = require('../../services/attendance')
const fmt = require('../../utils/format')
const { page, today, messageOf, confirm } = require('../../utils/page')
const { loader } = require('../../utils/list')

const words = { invited: '等家人接受', active: '在替我办事', revoked: '已收回', expired: '邀请已过期' }
const actionWords = { apply: '替您报名了一个活', withdraw: '替您取消了一个报名', register: '替您做了求职登记', call: '替您给雇主打了电话',
  binding_code: '给您开了绑定码', claim: '绑定了窗口登记的信息', delegate_accepted: '接受了您的代办邀请',
  attendance_confirmed: '替您确认了雇主记的到岗', attendance_contested: '替您说了雇主记的到岗不对',
  correction_requested: '替您申请更正了一条没到岗记录' }

// whoDid names the person behind an action done for the user: family, the user themself, or market staff.
function whoDid(a) {
  if (a.note === 'family' || a.action === 'delegate_accepted') return '家人'
  return a.action === 'claim' ? '您' : '工作人员'
}

// 亲情代办: the elder invites a family member and sees what was done for them; the family member enters
// the code, then follows and withdraws the elder's applications (applying is on each gig's page).
page({
  data: { invite: null, delegates: [], actions: [], elders: [], elderApps: {}, elderMarks: {}, code: '', loading: true, loaded: false, error: '', today: '' },

  onLoad() {
    this.run = loader(this)
  },

  onPullDownRefresh() {
    return this.load().finally(() => wx.stopPullDownRefresh())
  },

  onShow() {
    this.setData({ today: today() })
    return this.load()
  },

  load() {
    return this.run(async () => {
      const [delegates, actions, elders] = await Promise.all([family.delegates(), family.onBehalf(), family.elders()])
      const lists = await Promise.all(elders.map((e) => family.applicationsOf(e.elder_id)))
      const days = await Promise.all(elders.map((e) => family.attendanceOf(e.elder_id)))
      return { delegates, actions, elders, lists, days }
    }, ({ delegates, actions, elders, lists, days }) => {
      const elderApps = {}
      const elderMarks = {}
      elders.forEach((e, i) => (elderApps[e.elder_id] = lists[i].map((a) => ({ ...a, statusText: fmt.applicationWords[a.status] }))))
      // The employer's marks the elder has not answered: the family member confirms or contests them.
      elders.forEach((e, i) => (elderMarks[e.elder_id] = days[i].filter((d) => d.method === 'marked' && !d.answer)
        .map((d) => ({ ...d, text: fmt.day(d.day) + ' ' + d.gig_title + '：雇主记的到岗 ' + fmt.dateTime(d.arrived_at).slice(-5) }))))
      this.setData({ delegates: delegates.map((d) => ({ ...d, statusText: words[d.status] })), elders, elderApps, elderMarks, error: '',
        actions: actions.map((a, i) => ({ key: i, text: fmt.dateTime(a.created_at) + ' ' + whoDid(a) + (actionWords[a.action] || '办了一件事') })) })
    })
  },

  async invite() {
    try {
      this.setData({ invite: await family.invite() })
      await this.load()
    } catch (err) {
      this.setData({ error: messageOf(err) })
    }
  },

  async revoke(e) {
    if (!(await confirm('收回代办？', '收回后这位家人就不能再替您报名、取消报名了。', '收回'))) return
    try {
      await family.revoke(e.currentTarget.dataset.id)
      await this.load()
    } catch (err) {
      this.setData({ error: messageOf(err) })
    }
  },

  onCode(e) { this.setData({ code: e.detail.value }) },

  async accept() {
    try {
      await family.accept(this.data.code.trim().toUpperCase())
      this.setData({ code: '' })
      await this.load()
    } catch (err) {
      this.setData({ error: messageOf(err) })
    }
  },

  // answerMark confirms or contests an employer's mark for the elder; it shows in the elder's list of what
  // family did for them.
  // openRecord shows the elder's record, where a wrong no-show is asked about for them.
  openRecord(e) {
    wx.navigateTo({ url: '/pages/record/index?elder=' + e.currentTarget.dataset.elder })
  },

  async answerMark(e) {
    const { id, action } = e.currentTarget.dataset
    try {
      if (action === 'confirm') await attendance.confirm(id)
      else await attendance.contest(id, '家人代说：到岗时间不对')
      await this.load()
    } catch (err) {
      this.setData({ error: messageOf(err) })
    }
  },

  // alertsFor opens the elder's 有活提醒 to set for them.
  alertsFor(e) {
    wx.navigateTo({ url: '/pages/alerts/index?elder=' + e.currentTarget.dataset.elder })
  },

  async withdrawFor(e) {
    const { elder, app } = e.currentTarget.dataset
    const person = this.data.elders.find((x) => x.elder_id === elder)
    if (!(await confirm('替' + person.name + '取消报名？', '取消后雇主就知道' + person.name + '不去了。', '取消报名'))) return
    try {
      await family.withdrawFor(elder, app)
      await this.load()
    } catch (err) {
      this.setData({ error: messageOf(err) })
    }
  },
})
