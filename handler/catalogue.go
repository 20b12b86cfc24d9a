package handler

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"lingong/model"
)

func (a *API) routesCatalogue() {
	a.handle(http.MethodGet, "/api/v1/categories", routeDoc{Summary: "工种目录（登记技能、发布招工时选）", Tag: "catalogue",
		Response: []categoryResponse{}}, a.categories)
	a.handle(http.MethodGet, "/api/v1/areas", routeDoc{Summary: "安徽省市、区县（GB/T 2260 代码）", Tag: "catalogue",
		Response: []model.Area{}}, func(c *gin.Context) { c.JSON(http.StatusOK, model.Areas()) })
}

type categoryResponse struct {
	ID   uint64 `json:"id"`
	Code string `json:"code"`
	Name string `json:"name"`
	Icon string `json:"icon"`
}

func (a *API) categories(c *gin.Context) {
	cats, err := a.opts.Store.Categories(c.Request.Context())
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]categoryResponse, len(cats))
	for i, cat := range cats {
		out[i] = categoryResponse{ID: cat.ID, Code: cat.Code, Name: cat.Name, Icon: cat.Icon}
	}
	c.Header("Cache-Control", "public, max-age=3600")
	c.JSON(http.StatusOK, out)
}
