package model

import (
	"database/sql"
	"database/sql/driver"
	"errors"
	"net"

	"github.com/go-sql-driver/mysql"
	"gorm.io/gorm"
)

// Errors the model returns. The handler maps each one to an HTTP status, a stable code and a Chinese
// message in one table; anything else is a 500.
var (
	ErrNotFound      = errors.New("not found")
	ErrConflict      = errors.New("conflict")
	ErrUserDisabled  = errors.New("user disabled")
	ErrTokenInvalid  = errors.New("refresh token invalid")
	ErrTokenReused   = errors.New("refresh token reused")
	ErrPhoneTaken    = errors.New("phone bound to another user")
	ErrDatabaseDown  = errors.New("database unavailable")
	ErrInvalidRecord = errors.New("invalid record")
)

// dbErr turns driver and GORM errors into the model's own, once, where the query ran.
func dbErr(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, gorm.ErrRecordNotFound):
		return ErrNotFound
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return ErrConflict
	case isConnectionError(err):
		return errors.Join(ErrDatabaseDown, err)
	}
	return err
}

func isConnectionError(err error) bool {
	var netErr net.Error
	return errors.As(err, &netErr) || errors.Is(err, driver.ErrBadConn) ||
		errors.Is(err, mysql.ErrInvalidConn) || errors.Is(err, sql.ErrConnDone)
}

// isDeadlock is MySQL's ER_LOCK_DEADLOCK (1213): the transaction was rolled back and may simply be rerun.
func isDeadlock(err error) bool {
	var myErr *mysql.MySQLError
	return errors.As(err, &myErr) && myErr.Number == 1213
}
