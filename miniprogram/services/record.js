const http = require('../utils/request')

module.exports = {
  worker: () => http.get('/me/record'),
  elder: (id) => http.get('/elders/' + id + '/record'),
  employer: () => http.get('/me/employer/record'),
  ofEmployer: (id) => http.get('/employers/' + id + '/record'),
  correct: (entryId, reason) => http.post('/me/record/corrections', { entry_id: entryId, reason }),
}
