function parseJson(string) {
return JSON.parse(string);
}
