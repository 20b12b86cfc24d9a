package handler

import (
	"context"

	"lingong/handler/wechat"
	"lingong/model"
)

// consolePush is the console's 推送: the model's pushes, with the API's own check of a message (checkPush).
type consolePush struct {
	*model.Store
	templates wechat.Templates
}

func (p consolePush) CheckPush(kind, page string, data map[string]string) (map[string]string, error) {
	return checkPush(p.templates, kind, page, data)
}

// consoleStats is the console's 统计: the model's figures, with the API's monthly workbook (monthlyReport).
type consoleStats struct{ *model.Store }

func (s consoleStats) MonthlyReport(ctx context.Context, scope model.Scope, month, areaCode string) ([]byte, error) {
	return monthlyReport(ctx, s.Store, scope, month, areaCode)
}
