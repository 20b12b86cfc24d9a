const fmt = require('../../utils/format')

// A complaint's (or any case's) progress, oldest first, the newest marked.
Component({
  // The page's styles reach inside, so that 长辈版 (.care) and shared classes size this component too.
  options: { addGlobalClass: true },
  properties: { events: { type: Array, value: [] } },
  data: { steps: [] },
  observers: {
    events(events) {
      this.setData({
        steps: (events || []).map((e) => ({
          title: fmt.complaintWords[e.status] || e.status,
          time: (e.created_at || '').replace('T', ' ').slice(0, 16),
          note: e.note,
        })),
      })
    },
  },
})
