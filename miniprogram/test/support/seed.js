// Data a test needs on the shared test server, made through the API as the people who would make it.
const { Phone } = require('./phone')

const today = () => new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10)

// api calls the server as the person holding that phone.
function api(phone) {
  phone.use()
  return require('../../utils/request')
}

// postGig has employer1 post a daily-paid, select-mode gig for today near the demo worker and the admin approve it.
async function postGig(title, { categoryID = 1 } = {}) {
  const gig = await api(new Phone({ user: 'employer1' })).post('/gigs', { title, category_id: categoryID, description: '搬家具，包午饭', headcount: 3,
    wage_cents: 25000, wage_unit: 'day', settlement: 'daily', start_date: today(), end_date: today(), work_hours: '08:00-17:00',
    address: '合肥市蜀山区长江西路100号', location: { lat: 31.8612, lng: 117.283 }, area_code: '340104', contact_phone: '13900001111',
    hiring_mode: 'select' })
  await api(new Phone({ user: 'admin' })).post('/admin/gigs/' + gig.id + '/approve')
  return gig
}

module.exports = { api, postGig }
