const http = require('../utils/request')

module.exports = {
  uploadPhoto: (filePath, onProgress) => http.upload('/uploads', filePath, onProgress),
  // photo gives a local path for one of a complaint's photos (the owner's or, for staff, their area's).
  photo: (id) => http.download('/uploads/' + id),
  file: (complaint) => http.post('/complaints', complaint),
  mine: () => http.get('/complaints'),
  detail: (id) => http.get('/complaints/' + id),
  // revise sends a complaint the content check returned again, reworded.
  revise: (id, description) => http.put('/complaints/' + id, { description }),
  rate: (id, score, comment) => http.post('/complaints/' + id + '/satisfaction', { score, comment }),
}
