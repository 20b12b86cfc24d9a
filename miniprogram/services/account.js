const http = require('../utils/request')

module.exports = {
  me: () => http.get('/me'),
  bindPhone: (code) => http.post('/me/phone', { code }),
  worker: () => http.get('/me/worker'),
  saveWorker: (profile) => http.put('/me/worker', profile),
  employer: () => http.get('/me/employer'),
  saveEmployer: (registration) => http.put('/me/employer', registration),
  categories: () => http.get('/categories', null, false),
  subscribe: (result) => http.post('/me/subscriptions', result),
  templates: () => http.get('/subscriptions/templates', null, false),
}
