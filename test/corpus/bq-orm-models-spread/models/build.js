module.exports = (sequelize, DataTypes) => sequelize.define('Build', { state: DataTypes.STRING });
