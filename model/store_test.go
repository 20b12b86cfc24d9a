package model_test

import (
	"strings"
	"testing"

	"lingong/model"
	"lingong/model/modeltest"
)

// A MySQL DSN asking for rows found instead of rows changed is refused, however it spells it: the counted
// rules tell a new row from an old one by the rows an upsert changed. (Refused before any connection.)
func TestOpenRefusesClientFoundRows(t *testing.T) {
	for _, v := range []string{"true", "1", "TRUE", "True"} {
		_, err := model.Open("u:p@tcp(127.0.0.1:1)/db?clientFoundRows="+v, modeltest.Keyring(t), modeltest.Logger())
		if err == nil || !strings.Contains(err.Error(), "clientFoundRows") {
			t.Errorf("clientFoundRows=%s: %v", v, err)
		}
	}
}
