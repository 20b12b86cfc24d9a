const fmt = require('../../utils/format')

// One gig in a list: wage first and large, then what, how far, when, how many still wanted.
Component({
  // The page's styles reach inside, so that 长辈版 (.care) and shared classes size this component too.
  options: { addGlobalClass: true },
  properties: {
    gig: { type: Object, value: {} },
    today: { type: String, value: '' },
  },
  data: { wageText: '', distanceText: '', dateText: '' },
  observers: {
    'gig, today'(gig, today) {
      if (!gig || !gig.id) return
      this.setData({
        wageText: fmt.wage(gig.wage_cents, gig.wage_unit),
        distanceText: fmt.distance(gig.distance_m),
        dateText: fmt.workDate(gig.start_date, gig.end_date, today || gig.start_date),
      })
    },
  },
  methods: {
    onTap() {
      this.triggerEvent('open', { id: this.data.gig.id })
    },
  },
})
