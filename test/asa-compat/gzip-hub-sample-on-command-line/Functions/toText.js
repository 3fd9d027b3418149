// Any value as its text.
function main(value) {
    return value.toString();
}
