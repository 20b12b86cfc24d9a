// A big button for older hands: one tap, a clear label, no double submits while busy.
Component({
  // The page's styles reach inside, so that 长辈版 (.care) and shared classes size this component too.
  options: { addGlobalClass: true },
  properties: {
    label: { type: String, value: '' },
    icon: { type: String, value: '' },
    kind: { type: String, value: 'primary' },
    disabled: { type: Boolean, value: false },
    busy: { type: Boolean, value: false },
  },
  methods: {
    onTap() {
      if (this.data.disabled || this.data.busy) return
      this.triggerEvent('press')
    },
  },
})
