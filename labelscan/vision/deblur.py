"""Camera-shake motion blur: its length and direction read from the image's cepstrum, and undone (Wiener)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

TILE = 256
"""Side (pixels) of the tiles whose power spectra are averaged: fine enough in frequency to resolve the periodic
zeros of a blur up to MAX_LENGTH long (the first lies at 1/length cycles per pixel)."""
MAX_TILES = 48
"""The tiles with the most detail (print rather than blank paper) are used, at most this many."""
SEARCH_FROM = 3.0
"""Pixels: the shortest lag the dips are summed from."""
MIN_LENGTH = 4.75
"""Pixels: the shortest blur looked for. The shortest lags of the cepstrum hold the pixel grid's own pattern
(resampling, JPEG, demosaicing) and a blur that short costs tesseract little; a dip found here must also be
deeper than at the next shorter lag (not the tail of that pattern)."""
MAX_LENGTH = 24.0
"""Pixels: the longest blur looked for."""
LENGTH_STEP, ANGLE_STEP = 0.25, 1.0
"""The grid (pixels, degrees) the blur is searched on."""
HARMONICS = 4
"""A blur of length L puts dips in the cepstrum at L, 2L, 3L…, each 1/k as deep: this many are summed."""
MAX_LAG = 60
"""Pixels; dips further out than this are not counted (the averaged spectrum is too coarse to place them)."""
CONFIDENT = 15.0
"""A blur is reported when its summed dips stand at least this many robust standard deviations below the typical
sum over all lengths and directions (unblurred phone photos reach about 12, blur of 7 px or more 18 and up)."""
ACROSS = 0.5
"""...and the dips at the same length at right angles are less than this share as deep (the pixel grid's pattern
is often the same both ways, a blur is one way); nor are the dips at half its length as deep or deeper: then
the blur is half as long (its dips fall at every multiple of its length, this one's among them), shorter than
MIN_LENGTH (a 3 px shake of a low-resolution photo was found at 6.25 px, and undoing that wrecked the print)."""
NOISE_TO_SIGNAL = 0.01
"""The Wiener filter's noise-to-signal power at the lowest frequencies: larger keeps noise and ringing down,
smaller sharpens more."""
ROUGHNESS = 0.3
"""...and what is added to it toward the highest frequencies (the print's own power falls with frequency, the
sensor's noise does not), in proportion to the discrete Laplacian's response (1 at the corner of the spectrum)."""
SOFTNESS = 0.5
"""Pixels: the Gaussian the segment is softened by, for the lens's and sensor's own softness that comes with any
shake. A kernel sharper than the truth echoes every edge at the blur's length (ghost rings round a seal); a much
softer one amplifies noise in every direction (0.3–0.6 read best, 1.0 worse than no deblurring)."""
SUPERSAMPLE = 16
"""Points per pixel along the segment when the blur kernel is drawn."""


@dataclass(frozen=True)
class MotionBlur:
    """A straight-line blur: the image convolved with a uniform segment `length` pixels long at `angle`."""

    length: float
    """Pixels, in the image examined."""
    angle: float
    """Degrees from the image's x axis turning toward +y (clockwise as seen), in [0, 180)."""
    strength: float
    """How many robust standard deviations the cepstrum's dips at this length and direction stand out by (a blur is
    reported from CONFIDENT)."""


def _gray(image: Image.Image | np.ndarray) -> np.ndarray:
    """The image's luminance as float32 (a float32 gray array is returned as it is)."""
    if isinstance(image, Image.Image):
        image = np.asarray(image if image.mode in ("L", "RGB", "RGBA") else image.convert("RGB"))
    if image.ndim == 3:
        image = cv2.cvtColor(np.ascontiguousarray(image[..., :3]), cv2.COLOR_RGB2GRAY)
    return image if image.dtype == np.float32 else image.astype(np.float32)


def _detail_tiles(gray: np.ndarray) -> list[tuple[int, int]]:
    """Top-left corners of the half-overlapping tiles with the most detail (mean gradient magnitude)."""
    h, w = gray.shape
    if h < TILE or w < TILE:
        return []
    step = TILE // 2
    small = cv2.resize(gray, (w // 4, h // 4), interpolation=cv2.INTER_AREA)
    mag = cv2.magnitude(cv2.Sobel(small, cv2.CV_32F, 1, 0), cv2.Sobel(small, cv2.CV_32F, 0, 1))
    integral = cv2.integral(mag)
    scored = []
    for y in range(0, h - TILE + 1, step):
        for x in range(0, w - TILE + 1, step):
            y0, x0, y1, x1 = y // 4, x // 4, min((y + TILE) // 4, h // 4), min((x + TILE) // 4, w // 4)
            total = integral[y1, x1] - integral[y0, x1] - integral[y1, x0] + integral[y0, x0]
            scored.append((float(total), x, y))
    scored.sort(reverse=True)
    return [(x, y) for _, x, y in scored[:MAX_TILES]]


def log_spectrum(gray: np.ndarray) -> np.ndarray | None:
    """The log of the power spectrum averaged over the tiles with most detail (Hann-windowed; rfft layout)."""
    tiles = _detail_tiles(gray)
    if not tiles:
        return None
    window = np.outer(np.hanning(TILE), np.hanning(TILE)).astype(np.float32)
    power = np.zeros((TILE, TILE // 2 + 1), np.float64)
    for x, y in tiles:
        tile = gray[y:y + TILE, x:x + TILE]
        spectrum = np.fft.rfft2((tile - tile.mean()) * window)
        power += spectrum.real ** 2 + spectrum.imag ** 2
    return np.log(power / len(tiles) + 1e-3)


_LAG = np.hypot(*np.mgrid[-(TILE // 2):TILE // 2, -(TILE // 2):TILE // 2]).ravel()
_RINGS = [ring for ring in (np.flatnonzero((_LAG >= lo) & (_LAG < lo + 0.5)) for lo in np.arange(0.75, TILE // 2, 0.5))
          if len(ring) >= 4]
"""The lags of the cepstrum in rings half a pixel wide, for the median at each distance from lag 0."""
_RING_LAGS = np.array([_LAG[ring].mean() for ring in _RINGS])


def anisotropic_cepstrum(gray: np.ndarray) -> np.ndarray | None:
    """The real cepstrum of the averaged spectrum (lag 0 at [TILE/2, TILE/2]) less its median at each distance from
    lag 0: what defocus, noise and the print's size do alike in every direction is taken out, a blur's direction
    stays."""
    logp = log_spectrum(gray)
    if logp is None:
        return None
    c = np.fft.fftshift(np.fft.irfft2(logp, s=(TILE, TILE))).ravel()
    medians = [float(np.median(c[ring])) for ring in _RINGS]
    out = c - np.interp(_LAG, _RING_LAGS, medians)
    out[_LAG < 1.5] = 0.0
    return out.reshape(TILE, TILE).astype(np.float32)


_LENGTHS = np.arange(SEARCH_FROM, MAX_LENGTH + 1e-6, LENGTH_STEP)
_ANGLES = np.arange(0.0, 180.0, ANGLE_STEP)


def _dip_sums(residual: np.ndarray) -> np.ndarray:
    """For every (angle, length) of the grid, the cepstrum at its harmonics k·length, weighted 1/k (the shape a line
    blur gives), normalised so that pure noise gives the same spread at every length."""
    a = np.radians(_ANGLES)[:, None]
    lengths = _LENGTHS[None, :]
    total = np.zeros((len(_ANGLES), len(_LENGTHS)), np.float32)
    weights = np.zeros_like(total)
    centre = TILE // 2
    for k in range(1, HARMONICS + 1):
        map_x = (centre + k * lengths * np.cos(a)).astype(np.float32)
        map_y = (centre + k * lengths * np.sin(a)).astype(np.float32)
        values = cv2.remap(residual, map_x, map_y, cv2.INTER_LINEAR)
        w = np.broadcast_to(((k * lengths) <= MAX_LAG) / k, total.shape).astype(np.float32)
        total += w * values
        weights += w * w
    return total / np.sqrt(weights)


def estimate_motion_blur(image: Image.Image | np.ndarray) -> MotionBlur | None:
    """The straight-line motion blur of the image, or None when there is none to be confident of (sharp, defocused,
    noisy or too small an image)."""
    residual = anisotropic_cepstrum(_gray(image))
    if residual is None:
        return None
    sums = _dip_sums(residual)
    median = float(np.median(sums))
    spread = 1.4826 * float(np.median(np.abs(sums - median)))
    if spread <= 0:
        return None
    first = int(np.searchsorted(_LENGTHS, MIN_LENGTH - 1e-6))
    ia, il = np.unravel_index(int(np.argmin(sums[:, first:])), sums[:, first:].shape)
    il += first
    strength = (median - float(sums[ia, il])) / spread
    across = (median - float(sums[(ia + len(_ANGLES) // 2) % len(_ANGLES), il])) / spread
    shorter = (median - float(sums[ia, il - 1])) / spread
    # a blur half as long has its dips at every lag this one has them (and between): its own, found here twice
    half = int(np.argmin(np.abs(_LENGTHS - _LENGTHS[il] / 2)))
    halved = (median - float(sums[ia, half])) / spread if _LENGTHS[il] / 2 >= SEARCH_FROM else -math.inf
    if strength < CONFIDENT or across > ACROSS * strength or shorter >= strength or halved >= strength:
        return None
    return MotionBlur(float(_LENGTHS[il]), float(_ANGLES[ia]), round(strength, 1))


def line_kernel(length: float, angle: float, soft: float = SOFTNESS) -> np.ndarray:
    """A uniform segment `length` pixels long at `angle` (degrees, x toward +y), anti-aliased and softened by a
    Gaussian of `soft` pixels, summing to 1 (odd-sized, centred)."""
    size = 2 * math.ceil(length / 2 + 2 * soft) + 3
    centre = size // 2
    t = np.linspace(-length / 2, length / 2, max(2, int(length * SUPERSAMPLE)))
    x = centre + t * math.cos(math.radians(angle))
    y = centre + t * math.sin(math.radians(angle))
    kernel = np.zeros((size, size), np.float64)
    x0, y0 = np.floor(x).astype(int), np.floor(y).astype(int)
    fx, fy = x - x0, y - y0
    for dx, dy, w in ((0, 0, (1 - fx) * (1 - fy)), (1, 0, fx * (1 - fy)), (0, 1, (1 - fx) * fy), (1, 1, fx * fy)):
        np.add.at(kernel, (y0 + dy, x0 + dx), w)
    if soft > 0:
        kernel = cv2.GaussianBlur(kernel, (0, 0), soft, borderType=cv2.BORDER_CONSTANT)
    return (kernel / kernel.sum()).astype(np.float32)


def wiener(gray: np.ndarray, kernel: np.ndarray, nsr: float = NOISE_TO_SIGNAL, rough: float = ROUGHNESS) -> np.ndarray:
    """`gray` (float32) deconvolved by `kernel` (odd-sized; made point-symmetric). The borders are padded by
    reflection and faded to the mean over the pad, so the wrap-around of the FFT meets no edge to ring at."""
    h, w = gray.shape
    pad = max(32, 4 * kernel.shape[0])
    rows, cols = cv2.getOptimalDFTSize(h + 2 * pad), cv2.getOptimalDFTSize(w + 2 * pad)
    mean = np.float32(gray.mean())
    padded = cv2.copyMakeBorder(gray, pad, rows - h - pad, pad, cols - w - pad, cv2.BORDER_REFLECT)
    padded -= mean
    padded *= _fade(rows, pad, h)[:, None]
    padded *= _fade(cols, pad, w)[None, :]
    # the kernel's centre at the origin, the rest wrapped round the edges
    half = kernel.shape[0] // 2
    symmetric = (kernel + kernel[::-1, ::-1]) / 2
    psf = np.zeros((rows, cols), np.float32)
    for ys, yd in ((slice(half, None), slice(0, half + 1)), (slice(0, half), slice(rows - half, rows))):
        for xs, xd in ((slice(half, None), slice(0, half + 1)), (slice(0, half), slice(cols - half, cols))):
            psf[yd, xd] = symmetric[ys, xs]
    transfer = _real_pairs(cv2.dft(psf))  # real (the kernel is point-symmetric about the origin)
    denominator = _regulariser(rows, cols, nsr, rough)
    denominator += cv2.multiply(transfer, transfer)
    spectrum = cv2.dft(padded)
    spectrum *= cv2.divide(transfer, denominator)
    out = cv2.dft(spectrum, flags=cv2.DFT_INVERSE | cv2.DFT_SCALE | cv2.DFT_REAL_OUTPUT)
    return out[pad:pad + h, pad:pad + w] + mean


def _special_columns(cols: int) -> list[int]:
    """The columns of OpenCV's packed ("CCS") spectrum that hold whole column transforms, themselves packed."""
    return [0] + ([cols - 1] if cols % 2 == 0 else [])


def _regulariser(rows: int, cols: int, nsr: float, rough: float) -> np.ndarray:
    """The Wiener filter's noise-to-signal term for every slot of OpenCV's packed spectrum of a rows × cols real
    image: nsr plus rough times the discrete Laplacian's response (0 at the origin, 1 at the spectrum's corner)."""
    def response(n: int, index: np.ndarray) -> np.ndarray:
        return (np.float32(rough / 8) * (2 - 2 * np.cos(index * (2 * np.pi / n)))).astype(np.float32)

    across = (np.arange(cols) + 1) // 2  # slot j holds frequency (j + 1) // 2 (real and imaginary parts side by side)
    if cols % 2 == 0:
        across[-1] = cols // 2
    down = (np.arange(rows) + 1) // 2  # likewise down the columns that hold whole column transforms
    if rows % 2 == 0:
        down[-1] = rows // 2
    rows_index = np.arange(rows)
    out = response(cols, across)[None, :] + response(rows, np.minimum(rows_index, rows - rows_index))[:, None]
    for c in _special_columns(cols):
        out[:, c] = response(cols, across[c:c + 1]) + response(rows, down)
    out += np.float32(nsr)
    return out


def _real_pairs(packed: np.ndarray) -> np.ndarray:
    """A packed spectrum of real values with each imaginary slot given its real partner's value: multiplying a
    packed spectrum by it slot by slot multiplies each complex value by the real one."""
    rows, cols = packed.shape
    n = (cols - 1) // 2
    packed[:, 2:2 * n + 1:2] = packed[:, 1:2 * n:2]
    m = (rows - 1) // 2
    for c in _special_columns(cols):
        packed[2:2 * m + 1:2, c] = packed[1:2 * m:2, c]
    return packed


def _fade(size: int, pad: int, inner: int) -> np.ndarray:
    """1 over the `inner` pixels after `pad`, falling to 0 (raised cosine) over the `pad` pixels either side."""
    i = np.arange(size, dtype=np.float32)
    d = np.clip(np.minimum(i, pad + inner + pad - 1 - i) / pad, 0, 1)
    return (0.5 - 0.5 * np.cos(np.pi * d)).astype(np.float32)


def deblur(image: Image.Image) -> tuple[Image.Image, MotionBlur | None]:
    """The image with its motion blur undone, and the blur found; the image itself and None when no blur long and
    clear enough was found. A colour image has its luminance deconvolved and the change added to every channel
    (its colours stay as they were; the print's edges sharpen)."""
    work = image if image.mode in ("L", "RGB", "RGBA") else image.convert("RGB")
    pixels = np.asarray(work)
    gray = _gray(pixels)
    blur = estimate_motion_blur(gray)
    if blur is None:
        return image, None
    change = wiener(gray, line_kernel(blur.length, blur.angle)) - gray
    if pixels.ndim == 2:
        out = cv2.add(pixels, change, dtype=cv2.CV_8U)
    else:
        out = pixels.copy()
        out[..., :3] = cv2.add(np.ascontiguousarray(pixels[..., :3]), cv2.merge([change] * 3), dtype=cv2.CV_8U)
    return Image.fromarray(out), blur
