package model

// AttendanceTokenFor signs a code for any gig, day and step with the store's key: tests use it to make codes
// that are genuine but for the wrong day or step, which the employer's phone never shows.
func (s *Store) AttendanceTokenFor(gigID uint64, day string, step int64) string {
	return s.attendanceToken(gigID, day, step)
}

// AttendanceStepOf is the code step at a unix time.
var AttendanceStepOf = attendanceStep
