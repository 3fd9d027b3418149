function main(x) {
    return Math.round(x * 10) / 10;
}
