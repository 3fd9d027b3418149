function main(x) {
    if (x < 0) throw new RangeError("negative reading " + x);
    return Math.sqrt(x);
}
