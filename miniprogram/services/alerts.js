const http = require('../utils/request')

// A worker's own alerts, or an elder's for their family delegate.
const path = (elder) => (elder ? '/elders/' + elder + '/alerts' : '/me/alerts')

module.exports = {
  get: (elder) => http.get(path(elder)),
  save: (settings, elder) => http.put(path(elder), settings),
  recent: () => http.get('/me/alerts/recent'),
  open: (id) => http.post('/me/alerts/' + id + '/open'),
}
