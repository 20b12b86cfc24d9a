package console

import (
	"strings"
	"testing"
)

func TestParseCalendarLines(t *testing.T) {
	days, lineOf, bad := parseCalendarLines("2027-10-01至2027-10-03 放假 国庆节\r\n\n  2027-09-26   上班  \n", 2027)
	if bad != "" || len(days) != 4 || len(lineOf) != 4 || !strings.HasPrefix(lineOf[3], "第 3 行") || days[2].Date != "2027-10-03" || days[2].Name != "国庆节" || days[3].Kind != "workday" || days[3].Name != "" {
		t.Fatalf("%+v %q", days, bad)
	}
	for line, want := range map[string]string{
		"2027-10-07~2027-10-01 放假":    "日期写成",
		"2027-01-01~2027-03-01 放假 寒假": "最多一个月",
		"2027/10/01 放假":               "日期写成",
		"2027-10-01 放假 国庆 节":          "每行写",
		"2027-10-01 休假":               "第二项",
	} {
		if _, _, bad := parseCalendarLines("2027-01-01 放假 元旦\n"+line, 2027); !strings.Contains(bad, want) || !strings.Contains(bad, "第 2 行") {
			t.Errorf("%q: %q", line, bad)
		}
	}
}
