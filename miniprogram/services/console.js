const http = require('../utils/request')

// The staff console's scan sign-in, from the phone: see which PC asks, confirm it, or end the PC's console.
module.exports = {
  ticket: (ticket) => http.get('/console/tickets/' + encodeURIComponent(ticket)),
  confirm: (ticket) => http.post('/console/tickets/' + encodeURIComponent(ticket) + '/confirm'),
  endSessions: () => http.del('/me/console-sessions'),
}
