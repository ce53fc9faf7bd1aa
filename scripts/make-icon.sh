#!/bin/sh
# Draws resources/icon.png, Kiyo's app icon (512x512), with ImageMagick. Run once when the icon
# changes; the PNG is committed, so building and packaging do not need ImageMagick.
set -eu
cd "$(dirname "$0")/.."
"${CONVERT:-convert}" -size 512x512 xc:none \
  \( -size 448x448 gradient:'#ffb3d1'-'#8f7bff' \
     \( -size 448x448 xc:black -fill white -draw 'roundrectangle 0,0 447,447 96,96' \) \
     -alpha off -compose CopyOpacity -composite \) -geometry +32+32 -compose Over -composite \
  -fill '#2b2141' -draw 'ellipse 186,236 34,48 0,360' -draw 'ellipse 326,236 34,48 0,360' \
  -fill white -draw 'circle 198,218 198,234' -draw 'circle 338,218 338,234' \
  -fill '#ff7aa8' -draw 'ellipse 138,318 30,16 0,360' -draw 'ellipse 374,318 30,16 0,360' \
  -fill none -stroke '#2b2141' -strokewidth 14 -draw "path 'M 216,330 Q 256,370 296,330'" \
  -depth 8 -strip -define png:exclude-chunks=date,time \
  resources/icon.png
