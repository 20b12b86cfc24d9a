// What a list says besides its items: "正在加载…" until the first answer, then the empty message only if the
// answer was empty, or the error with a 重试 button; "没有更多了" at the end of a paged list.
Component({
  options: { addGlobalClass: true },
  properties: {
    loading: { type: Boolean, value: false },
    loaded: { type: Boolean, value: false },
    error: { type: String, value: '' },
    count: { type: Number, value: 0 },
    empty: { type: String, value: '这里还没有内容。' },
    done: { type: Boolean, value: false },
  },
  methods: {
    retry() {
      this.triggerEvent('retry')
    },
  },
})
