function main(seconds) {
    if (typeof seconds !== "number") throw new TypeError("not epoch seconds: " + seconds);
    return new Date(seconds * 1000);
}
