"""Generated illustrations for the rightsdesk demo site.

Every picture is drawn here with Pillow primitives: no external files, no fonts,
no text. Drawing is deterministic (any variation comes from ``random.Random(key)``),
so the same key always yields the same image.

``IMAGES`` maps a key to its metadata and a ``draw`` callable returning a 1200x675
RGB image; ``render(key)`` returns that image as PNG bytes.
"""

import io
import math
import random

from PIL import Image, ImageDraw

WIDTH, HEIGHT = 1200, 675
SCALE = 2  # draw at double size, then downsample for smooth edges

CREDIT = "Illustration: rightsdesk demo, generated"


def _canvas(top, bottom):
    """A vertical gradient background at working (supersampled) size."""
    w, h = WIDTH * SCALE, HEIGHT * SCALE
    img = Image.new("RGB", (w, h), top)
    draw = ImageDraw.Draw(img)
    for y in range(h):
        t = y / (h - 1)
        colour = tuple(round(a + (b - a) * t) for a, b in zip(top, bottom))
        draw.line([(0, y), (w, y)], fill=colour)
    return img


def _finish(img):
    return img.resize((WIDTH, HEIGHT), Image.LANCZOS).convert("RGB")


def _s(*values):
    """Scale design coordinates (1200x675 space) to working size."""
    return [v * SCALE for v in values]


def draw_scales():
    img = _canvas((236, 229, 216), (214, 204, 188))
    d = ImageDraw.Draw(img)
    brass = (163, 132, 84)
    brass_dark = (122, 98, 62)
    shadow = (196, 185, 167)

    # soft halo behind the scales
    d.ellipse(_s(380, 70, 820, 510), fill=(228, 219, 203))

    # shadow on the ground
    d.ellipse(_s(430, 600, 770, 630), fill=shadow)

    # base and column
    d.rounded_rectangle(_s(470, 565, 730, 610), radius=10 * SCALE, fill=brass_dark)
    d.rounded_rectangle(_s(520, 535, 680, 570), radius=8 * SCALE, fill=brass)
    d.rectangle(_s(588, 170, 612, 540), fill=brass)
    d.ellipse(_s(578, 148, 622, 192), fill=brass_dark)

    # a slightly tilted beam
    tilt = math.radians(-4)
    cx, cy = 600, 170
    half = 290
    left = (cx - half * math.cos(tilt), cy - half * math.sin(tilt))
    right = (cx + half * math.cos(tilt), cy + half * math.sin(tilt))
    d.line(_s(*left, *right), fill=brass_dark, width=14 * SCALE)
    for end in (left, right):
        x, y = end
        d.ellipse(_s(x - 12, y - 12, x + 12, y + 12), fill=brass_dark)

    # chains and pans
    for (x, y) in (left, right):
        pan_y = y + 230
        for dx in (-85, 0, 85):
            d.line(_s(x, y, x + dx, pan_y), fill=(140, 118, 86), width=3 * SCALE)
        d.chord(_s(x - 110, pan_y - 45, x + 110, pan_y + 45), 0, 180, fill=brass)
        d.line(_s(x - 110, pan_y, x + 110, pan_y), fill=brass_dark, width=5 * SCALE)

    # small finial on top
    d.polygon(_s(600, 120, 614, 150, 586, 150), fill=brass_dark)
    return _finish(img)


def draw_candles():
    rng = random.Random("candles")
    img = _canvas((34, 40, 58), (58, 52, 62)).convert("RGBA")

    count = 9
    spacing = 1200 / (count + 1)
    candles = []
    for i in range(count):
        x = spacing * (i + 1) + rng.uniform(-12, 12)
        height = rng.uniform(120, 260)
        width = rng.uniform(46, 62)
        wax = rng.choice([(232, 222, 200), (226, 214, 190), (238, 230, 214)])
        candles.append((x, 520 - height, width, wax))

    # warm glow: concentric discs, each drawn over the last with a higher
    # opacity (ImageDraw replaces pixels), give a smooth radial falloff
    for x, top, _, _ in candles:
        layer = Image.new("RGBA", img.size, (0, 0, 0, 0))
        g = ImageDraw.Draw(layer)
        steps = 48
        for k in range(steps):
            t = k / steps
            radius = 150 * (1 - t) + 6
            alpha = round(110 * t * t)
            g.ellipse(_s(x - radius, top - 36 - radius, x + radius, top - 36 + radius),
                      fill=(255, 190, 110, alpha))
        img = Image.alpha_composite(img, layer)

    d = ImageDraw.Draw(img)
    # ledge the candles stand on
    d.rectangle(_s(0, 520, 1200, 675), fill=(46, 44, 52))
    d.rectangle(_s(0, 516, 1200, 524), fill=(70, 64, 70))

    for x, top, width, wax in candles:
        # faint reflection on the ledge
        d.ellipse(_s(x - 50, 530, x + 50, 552), fill=(74, 64, 62))
        d.rounded_rectangle(_s(x - width / 2, top, x + width / 2, 520),
                            radius=6 * SCALE, fill=wax)
        d.rectangle(_s(x + width / 2 - 10, top + 6, x + width / 2 - 3, 518),
                    fill=tuple(c - 22 for c in wax))
        d.ellipse(_s(x - width / 2, top - 8, x + width / 2, top + 8),
                  fill=tuple(c - 12 for c in wax))
        # wick and flame
        d.line(_s(x, top - 4, x, top - 16), fill=(60, 50, 40), width=3 * SCALE)
        d.ellipse(_s(x - 11, top - 58, x + 11, top - 12), fill=(250, 180, 90))
        d.ellipse(_s(x - 6, top - 44, x + 6, top - 16), fill=(255, 236, 190))

    return _finish(img)


def _blob(rng, cx, cy, rx, ry, points=22, jitter=0.22):
    """An irregular closed shape around a centre, in design coordinates."""
    pts = []
    for k in range(points):
        a = 2 * math.pi * k / points
        r = 1 + rng.uniform(-jitter, jitter)
        pts.append((cx + math.cos(a) * rx * r, cy + math.sin(a) * ry * r))
    return pts


def draw_map():
    rng = random.Random("map")
    img = _canvas((196, 212, 214), (178, 198, 202))
    d = ImageDraw.Draw(img)

    # faint graticule
    for x in range(0, 1201, 100):
        d.line(_s(x, 0, x, 675), fill=(186, 203, 206), width=SCALE)
    for y in range(0, 676, 75):
        d.line(_s(0, y, 1200, y), fill=(186, 203, 206), width=SCALE)

    land = [(226, 218, 196), (218, 210, 186), (230, 224, 204)]
    border = (170, 158, 132)
    shapes = [
        (600, 330, 360, 230),
        (190, 150, 150, 90),
        (1040, 520, 150, 110),
        (1010, 130, 120, 70),
        (170, 560, 130, 70),
    ]
    for i, (cx, cy, rx, ry) in enumerate(shapes):
        pts = _blob(rng, cx, cy, rx, ry, points=28 if i == 0 else 18)
        d.polygon([v * SCALE for p in pts for v in p], fill=land[i % len(land)],
                  outline=border, width=3 * SCALE)

    # internal dashed boundaries on the main shape
    for y0, y1 in ((210, 470), (250, 430)):
        xs = 470 if y0 == 210 else 700
        for seg in range(0, y1 - y0, 18):
            d.line(_s(xs + seg * 0.2, y0 + seg, xs + (seg + 9) * 0.2, y0 + seg + 9),
                   fill=border, width=2 * SCALE)

    # a winding river
    river = [(300, 260)]
    for step in range(1, 12):
        river.append((300 + step * 45, 260 + math.sin(step * 0.9) * 30 + step * 8))
    d.line([v * SCALE for p in river for v in p], fill=(150, 178, 188), width=6 * SCALE,
           joint="curve")

    # markers: pins with a soft ring
    markers = [(520, 300), (660, 250), (740, 400), (560, 430), (430, 360), (830, 320)]
    for (x, y) in markers:
        d.ellipse(_s(x - 22, y - 22, x + 22, y + 22), outline=(170, 92, 78), width=2 * SCALE)
        d.polygon(_s(x, y + 4, x - 11, y - 18, x + 11, y - 18), fill=(150, 70, 60))
        d.ellipse(_s(x - 13, y - 40, x + 13, y - 14), fill=(170, 82, 70))
        d.ellipse(_s(x - 5, y - 32, x + 5, y - 22), fill=(240, 228, 214))

    # compass rose
    cx, cy = 1100, 300
    d.ellipse(_s(cx - 34, cy - 34, cx + 34, cy + 34), outline=(120, 130, 132), width=2 * SCALE)
    d.polygon(_s(cx, cy - 46, cx - 9, cy, cx + 9, cy), fill=(120, 130, 132))
    d.polygon(_s(cx, cy + 46, cx - 9, cy, cx + 9, cy), fill=(170, 178, 178))
    return _finish(img)


def draw_archive():
    rng = random.Random("archive")
    img = _canvas((222, 216, 204), (204, 196, 182))
    d = ImageDraw.Draw(img)
    wood = (138, 110, 82)
    wood_dark = (108, 84, 62)
    boxes = [(184, 160, 126), (170, 150, 120), (196, 176, 142), (160, 142, 118)]

    # shelving unit on the left two thirds
    shelves = (230, 420, 610)
    d.rectangle(_s(60, 40, 80, 630), fill=wood_dark)
    d.rectangle(_s(760, 40, 780, 630), fill=wood_dark)
    for y in shelves:
        d.rectangle(_s(60, y, 780, y + 18), fill=wood)

    for y in shelves:
        x = 100
        while x < 720:
            w = rng.uniform(90, 130)
            h = rng.uniform(130, 168)
            if x + w > 745:
                break
            colour = rng.choice(boxes)
            d.rectangle(_s(x, y - h, x + w, y), fill=colour, outline=tuple(c - 30 for c in colour),
                        width=2 * SCALE)
            # label and finger hole
            d.rectangle(_s(x + w * 0.2, y - h * 0.72, x + w * 0.8, y - h * 0.48),
                        fill=(238, 232, 218))
            d.rounded_rectangle(_s(x + w * 0.35, y - h * 0.3, x + w * 0.65, y - h * 0.2),
                                radius=6 * SCALE, fill=tuple(c - 45 for c in colour))
            x += w + rng.uniform(8, 16)

    # table with a stack of papers and folders on the right
    d.rectangle(_s(820, 520, 1180, 545), fill=wood)
    d.rectangle(_s(845, 545, 865, 660), fill=wood_dark)
    d.rectangle(_s(1135, 545, 1155, 660), fill=wood_dark)

    y = 520
    folder_colours = [(196, 170, 120), (150, 160, 150), (200, 190, 170), (176, 130, 110)]
    for i in range(11):
        thick = rng.uniform(10, 18)
        off = rng.uniform(-16, 16)
        colour = folder_colours[i % len(folder_colours)] if i % 3 == 0 else (244, 240, 230)
        d.rectangle(_s(880 + off, y - thick, 1120 + off, y), fill=colour,
                    outline=(170, 160, 142), width=SCALE)
        y -= thick
    # a loose sheet with ruled lines on top
    sheet = [(900, y - 6), (1110, y - 26), (1118, y + 4), (908, y + 22)]
    d.polygon([v * SCALE for p in sheet for v in p], fill=(250, 247, 240),
              outline=(180, 170, 150))
    for k in range(1, 5):
        t = k / 5
        x0 = 905 + 4 * t * 2
        d.line(_s(x0 + 12, y - 6 + 28 * t - 2, x0 + 190, y - 26 + 28 * t - 2),
               fill=(196, 188, 172), width=SCALE)
    return _finish(img)


IMAGES = {
    "scales": dict(
        title="Scales of justice",
        caption="A balance scale, a common symbol for courts and accountability.",
        credit=CREDIT,
        alt="A brass balance scale with two hanging pans, slightly tilted, on a beige background.",
        draw=draw_scales,
    ),
    "candles": dict(
        title="Memorial candles",
        caption="A row of lit candles of the kind families light at commemorations.",
        credit=CREDIT,
        alt="Nine lit candles of different heights standing in a row against a dark blue background.",
        draw=draw_candles,
    ),
    "map": dict(
        title="Stylised map with markers",
        caption="An abstract map; the markers stand for documented sites and are not to scale.",
        credit=CREDIT,
        alt="Muted land shapes on a pale blue sea with a river, dashed boundaries and red location pins.",
        draw=draw_map,
    ),
    "archive": dict(
        title="Archive boxes and files",
        caption="Archive boxes and stacked files, standing for the records that rights groups keep.",
        credit=CREDIT,
        alt="Wooden shelves filled with cardboard archive boxes next to a table with a stack of folders.",
        draw=draw_archive,
    ),
}


def render(key):
    """Return the image for ``key`` as PNG bytes."""
    buf = io.BytesIO()
    IMAGES[key]["draw"]().save(buf, format="PNG", optimize=True)
    return buf.getvalue()
