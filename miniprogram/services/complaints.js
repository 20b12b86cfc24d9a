const http = require('../utils/request')

module.exports = {
  uploadPhoto: (filePath) => http.upload('/uploads', filePath),
  file: (complaint) => http.post('/complaints', complaint),
  mine: () => http.get('/complaints'),
  detail: (id) => http.get('/complaints/' + id),
  rate: (id, score, comment) => http.post('/complaints/' + id + '/satisfaction', { score, comment }),
}
