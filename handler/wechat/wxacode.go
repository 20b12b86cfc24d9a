package wechat

import (
	"context"

	"github.com/silenceper/wechat/v2/miniprogram/qrcode"
	goqrcode "github.com/skip2/go-qrcode"
)

// MiniProgramCode makes the mini-program code (小程序码) that opens page with scene, as a PNG, through
// WeChat's getwxacodeunlimit; the scene is at most 32 characters.
func (c *Client) MiniProgramCode(ctx context.Context, page, scene string) ([]byte, error) {
	checkPath := false
	return call(ctx, c, true, func() ([]byte, int64, error) {
		png, err := c.mp.GetQRCode().GetWXACodeUnlimit(qrcode.QRCoder{Page: page, Scene: scene, Width: 430, CheckPath: &checkPath})
		return png, errCode(err), err
	})
}

// MiniProgramCode in the dev WeChat is a plain QR code of the page path and scene: it does not open the
// mini-program, but it shows where the real code goes and what it carries.
func (Dev) MiniProgramCode(_ context.Context, page, scene string) ([]byte, error) {
	return goqrcode.Encode(page+"?scene="+scene, goqrcode.Medium, 430)
}
